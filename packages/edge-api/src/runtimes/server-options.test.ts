import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serverOptionsFromEnv } from "./server-options.ts";

const from = (env: Record<string, string>) => serverOptionsFromEnv((k) => env[k]);

describe("serverOptionsFromEnv", () => {
  it("reads models, port, host, tokens, origins and warm-up runs", () => {
    assert.deepEqual(
      from({ BCPSEG_MODELS: "a.onnx, b.onnx", PORT: "0", BCPSEG_TOKEN: "t1,t2", BCPSEG_CORS_ORIGIN: "https://x" }),
      {
        modelPaths: ["a.onnx", "b.onnx"],
        port: 0,
        hostname: "127.0.0.1",
        auth: ["t1", "t2"],
        cors: { origin: ["https://x"] },
      },
    );
    assert.equal(from({ BCPSEG_MODELS: "a.onnx", BCPSEG_WARMUP: "0" }).warmup, 0);
    assert.equal(from({ BCPSEG_MODELS: "a.onnx", BCPSEG_WARMUP: "3" }).warmup, 3);
  });

  it("reads the pool's onnxruntime and size on every runtime", () => {
    const o = from({ BCPSEG_MODELS: "a.onnx", BCPSEG_RUNTIME: "web", BCPSEG_CONCURRENCY: "3" });
    assert.equal(o.runtime, "web");
    assert.deepEqual(o.limits, { concurrency: 3 });
    assert.throws(() => from({ BCPSEG_MODELS: "a.onnx", BCPSEG_RUNTIME: "cuda" }), /BCPSEG_RUNTIME/);
    assert.throws(() => from({ BCPSEG_MODELS: "a.onnx", BCPSEG_CONCURRENCY: "0" }), /BCPSEG_CONCURRENCY/);
  });

  it("refuses a missing model list, a bad port and a bad warm-up count", () => {
    assert.throws(() => from({}), /BCPSEG_MODELS/);
    assert.throws(() => from({ BCPSEG_MODELS: "a.onnx", PORT: "70000" }), /PORT/);
    assert.throws(() => from({ BCPSEG_MODELS: "a.onnx", BCPSEG_WARMUP: "-1" }), /BCPSEG_WARMUP/);
  });
});
