import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startNode } from "./node.ts";

const model = fileURLToPath(new URL("../../test/fixtures/unet2d-64-int8.onnx", import.meta.url));

describe("startNode", () => {
  it("serves on a free port and reports a busy port as ERR_LISTEN instead of crashing", async () => {
    const first = await startNode({ modelPaths: [model], port: 0, warmup: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${first.port}/healthz`);
      assert.equal(res.status, 200);
      await assert.rejects(
        startNode({ modelPaths: [model], port: first.port, warmup: 0 }),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "ERR_LISTEN");
          assert.match(e.message, /EADDRINUSE/);
          return true;
        },
      );
    } finally {
      await first.close();
    }
  });
});
