import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { f32Bytes, modelBytes, niftiVolume } from "../../test/helpers.ts";
import { createApp, type SegmentApp } from "../app.ts";
import { silentLogger } from "../http/logger.ts";
import { webWorkerSessionPool } from "./web-worker-pool.ts";

// Bun and Deno (`npm run test:bun`, `npm run test:deno`): the session pool on Web Workers. Node has no global
// Worker (its pool is node-pool.ts, on worker_threads), so there this suite is skipped.
const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";

const raw = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 11) * 50 + (i % 17));
  return {
    method: "POST",
    body: f32Bytes(data) as BodyInit,
    headers: { "content-type": "application/octet-stream", "x-shape": shape.join(",") },
  };
};

async function answer(app: SegmentApp, path: string, init: RequestInit) {
  const r = await app.request(path, init);
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  const probs = new Float32Array(Uint8Array.from(atob(body.probabilities.data), (c) => c.charCodeAt(0)).buffer);
  return { classes: body.classes.map((c: { voxels: number }) => c.voxels), probs };
}

/**
 * The longest gap between ticks of a 5 ms interval timer while `work` runs: how long the event loop was held
 * at a stretch.
 */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  try {
    await work();
    worst = Math.max(worst, performance.now() - last);
  } finally {
    clearInterval(timer);
  }
  return worst;
}

describe(`webWorkerSessionPool (Web Workers on ${runtime})`, { skip: typeof Worker === "undefined" }, () => {
  let inline: SegmentApp;
  let web: SegmentApp;
  let auto: SegmentApp;
  let pools: ReturnType<typeof webWorkerSessionPool>[];
  before(async () => {
    pools = [webWorkerSessionPool({ size: 2, runtime: "web" }), webWorkerSessionPool({ size: 1 })];
    inline = createApp({ models: modelBytes(), logger: silentLogger, warmup: 1 });
    web = createApp({
      models: modelBytes(),
      sessions: pools[0],
      logger: silentLogger,
      warmup: 1,
      limits: { concurrency: 2 },
    });
    auto = createApp({ models: modelBytes(), sessions: pools[1], logger: silentLogger, warmup: 1 });
    await Promise.all([inline.ready, web.ready, auto.ready]);
  });
  after(() => Promise.all([inline, web, auto].map((a) => a?.dispose())));

  it("loads onnxruntime-web when asked; by default onnxruntime-node where it loads (Bun; Deno only with --allow-ffi)", async () => {
    assert.equal(await pools[0].runtime, "web");
    const deno = (globalThis as { Deno?: { permissions: { query(p: { name: "ffi" }): Promise<{ state: string }> } } })
      .Deno;
    const ffi = (await deno?.permissions.query({ name: "ffi" }))?.state === "granted";
    assert.equal(await pools[1].runtime, runtime === "bun" || ffi ? "node" : "web");
  });

  it("answers exactly as in-thread onnxruntime-web (2D stack, 3D sliding window, NIfTI)", async () => {
    const nifti = await niftiVolume([40, 34, 6], true);
    for (const [path, init] of [
      ["/v1/segment?probabilities=true", raw([3, 40, 52])],
      ["/v1/segment?model=vnet3d-32&probabilities=true", raw([40, 34, 20])],
      [
        "/v1/segment?probabilities=true",
        { method: "POST", body: nifti, headers: { "content-type": "application/gzip" } },
      ],
    ] as const) {
      const a = await answer(inline, path, init as RequestInit);
      const b = await answer(web, path, init as RequestInit);
      assert.deepEqual(b.classes, a.classes, path);
      assert.deepEqual(b.probs, a.probs, path);
      const c = await answer(auto, path, init as RequestInit);
      let worst = 0;
      for (let i = 0; i < a.probs.length; i++) worst = Math.max(worst, Math.abs(a.probs[i] - c.probs[i]));
      assert.ok(worst < 1e-3, `${path}: the default runtime differs by ${worst}`);
    }
  });

  it("decodes and segments off the event loop: a large gzip NIfTI holds it far shorter than in-thread", async () => {
    const nifti = await niftiVolume([256, 256, 48], true);
    const init = { method: "POST", body: nifti as BodyInit, headers: { "content-type": "application/gzip" } };
    const go = (app: SegmentApp) => async () => {
      const r = await app.request("/v1/segment?rle=false", init);
      assert.equal(r.status, 200, await r.clone().text());
      await r.arrayBuffer();
    };
    const pooled = await longestStall(go(web));
    const inThread = await longestStall(go(inline));
    // In-thread the inflate, float conversion and resizing run in one stretch (measured 400-900 ms); with the
    // pool the event loop only copies the answer.
    assert.ok(
      pooled < inThread / 2,
      `event loop held ${pooled.toFixed(0)} ms pooled, ${inThread.toFixed(0)} in-thread`,
    );
    assert.ok(pooled < 250, `event loop held ${pooled.toFixed(0)} ms with the pool`);
  });

  it("turns a worker's refusal into the same 4xx envelope", async () => {
    const r = await web.request("/v1/segment", {
      method: "POST",
      body: f32Bytes(Float32Array.of(1, Number.NaN, 3, 4)) as BodyInit,
      headers: { "content-type": "application/octet-stream", "x-shape": "2,2" },
    });
    assert.equal(r.status, 422);
    assert.equal((await r.json()).error.code, "ERR_NOT_FINITE");
  });

  it("answers runs still queued when it closes with 503 ERR_SHUTTING_DOWN", async () => {
    const pool = webWorkerSessionPool({ size: 1, runtime: "web" });
    const app = createApp({ models: modelBytes(), sessions: pool, logger: silentLogger, limits: { queue: 8 } });
    await app.ready;
    const pending = [1, 2, 3, 4].map(() => app.request("/v1/segment?model=vnet3d-32&rle=false", raw([64, 64, 64])));
    await new Promise((r) => setTimeout(r, 50));
    await app.dispose();
    const rs = await Promise.all(pending);
    const codes = await Promise.all(rs.map(async (r) => (r.status === 200 ? "200" : (await r.json()).error.code)));
    assert.ok(codes.includes("ERR_SHUTTING_DOWN"), codes.join());
    assert.ok(
      codes.every((c) => c === "200" || c === "ERR_SHUTTING_DOWN"),
      codes.join(),
    );
  });
});
