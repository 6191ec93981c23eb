import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { grayPng, modelBytes } from "../../test/helpers.ts";
import { silentLogger } from "../http/logger.ts";
import { createWorker } from "./workers.ts";

const require = createRequire(import.meta.url);

describe("Workers-style module", () => {
  it("runs on an imported, precompiled CPU-only wasm module without compiling bytes at run time", async () => {
    const path = require.resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm");
    assert.ok(statSync(path).size < 25 * 2 ** 20, "the CPU-only wasm fits the 25 MiB asset limit");
    // What the bundler does at build time (a CompiledWasm import):
    const wasmModule = await WebAssembly.compile(readFileSync(path));
    // Node's own fetch compiles its HTTP parser (llhttp) from bytes on first use: let it do so before the ban.
    await new Response(new Request("http://w/", { method: "POST", body: "x" }).body).text();
    // What an edge runtime does at run time: refuse to compile or instantiate raw bytes.
    const original = WebAssembly.instantiate.bind(WebAssembly) as (
      s: unknown,
      i?: WebAssembly.Imports,
    ) => Promise<unknown>;
    (WebAssembly as { instantiate: unknown }).instantiate = (s: unknown, i?: WebAssembly.Imports) =>
      s instanceof WebAssembly.Module
        ? original(s, i)
        : Promise.reject(new Error("Wasm code generation disallowed by embedder"));
    (WebAssembly as { compile: unknown }).compile = () =>
      Promise.reject(new Error("Wasm code generation disallowed by embedder"));
    (WebAssembly as { instantiateStreaming: unknown }).instantiateStreaming = () =>
      Promise.reject(new Error("disallowed"));

    const worker = createWorker({ wasmModule, models: modelBytes(), logger: silentLogger });
    const health = await worker.fetch(new Request("http://w/healthz"));
    assert.equal(health.status, 200);
    const png = grayPng(32, 48);
    const r = await worker.fetch(
      new Request("http://w/v1/segment?rle=false", {
        method: "POST",
        body: png as BodyInit,
        headers: { "content-type": "image/png" },
      }),
    );
    assert.equal(r.status, 200, await r.clone().text());
    assert.deepEqual((await r.json()).shape, [32, 48]);
    assert.equal((await worker.fetch(new Request("http://w/readyz"))).status, 200);
    await worker.app().dispose();
  });
});
