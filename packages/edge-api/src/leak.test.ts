import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { grayPng, modelBytes } from "../test/helpers.ts";
import { createApp } from "./app.ts";
import { silentLogger } from "./http/logger.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("no leaks", () => {
  it("keeps live onnxruntime tensors at zero and the heap flat over many requests", async () => {
    const app = createApp({ models: modelBytes(), logger: silentLogger });
    await app.ready;
    const png = grayPng(64, 64);
    const send = async (k: number) => {
      for (let i = 0; i < k; i++) {
        const q = i % 3 === 0 ? "?format=png" : i % 3 === 1 ? "?rle=false&probabilities=true" : "?format=overlay";
        const r = await app.request(`/v1/segment${q}`, {
          method: "POST",
          body: png as BodyInit,
          headers: { "content-type": "image/png" },
        });
        assert.equal(r.status, 200);
        await r.arrayBuffer();
        assert.equal(app.stats().liveTensors, 0);
      }
    };
    await send(100); // warm-up: caches, JIT, ort arenas
    const h0 = heap();
    const rss0 = process.memoryUsage().rss;
    await send(600);
    const h1 = heap();
    const rss1 = process.memoryUsage().rss;
    assert.equal(app.stats().liveTensors, 0);
    assert.equal(app.stats().tensorsCreated, 2 * 700);
    // 600 requests of 64x64 would leak well over 10 MB if any per-request buffer were kept.
    assert.ok(h1 - h0 < 8 * 2 ** 20, `heap grew by ${((h1 - h0) / 2 ** 20).toFixed(1)} MiB`);
    assert.ok(rss1 - rss0 < 64 * 2 ** 20, `rss grew by ${((rss1 - rss0) / 2 ** 20).toFixed(1)} MiB`);
    await app.dispose();
  });
});
