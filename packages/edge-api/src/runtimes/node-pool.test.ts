import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { after, before, describe, it } from "node:test";
import type { Worker } from "node:worker_threads";
import { f32Bytes, modelBytes } from "../../test/helpers.ts";
import { createApp, type SegmentApp } from "../app.ts";
import { silentLogger } from "../http/logger.ts";
import { nodeSessionPool } from "./node-pool.ts";

const until = async (ok: () => boolean | Promise<boolean>, ms = 20_000) => {
  const t0 = performance.now();
  while (!(await ok())) {
    if (performance.now() - t0 > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
};

const raw = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 11) * 50 + (i % 17));
  return {
    method: "POST",
    body: f32Bytes(data) as BodyInit,
    headers: { "content-type": "application/octet-stream", "x-shape": shape.join(",") },
  };
};

/** The JSON answer's class masks and probabilities: what must agree across runtimes. */
async function answer(app: SegmentApp, path: string, init: RequestInit) {
  const r = await app.request(path, init);
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  const probs = new Float32Array(Uint8Array.from(atob(body.probabilities.data), (c) => c.charCodeAt(0)).buffer);
  return { classes: body.classes.map((c: { voxels: number }) => c.voxels), probs };
}

describe("nodeSessionPool (worker threads)", () => {
  let inline: SegmentApp;
  let web: SegmentApp;
  let native: SegmentApp;
  let pools: ReturnType<typeof nodeSessionPool>[];
  before(async () => {
    pools = [nodeSessionPool({ size: 2, runtime: "web" }), nodeSessionPool({ size: 2, runtime: "node" })];
    inline = createApp({ models: modelBytes(), logger: silentLogger });
    web = createApp({ models: modelBytes(), sessions: pools[0], logger: silentLogger, limits: { concurrency: 2 } });
    native = createApp({ models: modelBytes(), sessions: pools[1], logger: silentLogger, limits: { concurrency: 2 } });
    await Promise.all([inline.ready, web.ready, native.ready]);
  });
  after(() => Promise.all([inline, web, native].map((a) => a.dispose())));

  it("loads the asked-for onnxruntime in its workers", async () => {
    assert.equal(await pools[0].runtime, "web");
    assert.equal(await pools[1].runtime, "node");
  });

  it("answers exactly as in-thread onnxruntime-web on the wasm build, and within 1e-3 on onnxruntime-node (int8 kernels differ)", async () => {
    for (const [path, shape] of [
      ["/v1/segment?probabilities=true", [3, 40, 52]],
      ["/v1/segment?model=vnet3d-32&probabilities=true", [40, 34, 20]],
    ] as const) {
      const a = await answer(inline, path, raw([...shape]));
      const b = await answer(web, path, raw([...shape]));
      const c = await answer(native, path, raw([...shape]));
      assert.deepEqual(b.classes, a.classes, path);
      assert.deepEqual(b.probs, a.probs, path);
      let worst = 0;
      for (let i = 0; i < a.probs.length; i++) worst = Math.max(worst, Math.abs(a.probs[i] - c.probs[i]));
      assert.ok(worst < 1e-3, `${path}: onnxruntime-node differs by ${worst}`);
    }
  });

  it("keeps the event loop free while segmentations run: it idles, and /healthz answers", async () => {
    // Event-loop utilisation of the main thread over the same two 27-window requests: in-thread onnxruntime
    // keeps it busy (measured: 100%, /healthz answered once); with the pool it mostly waits for the workers
    // (measured ~40%, most of it the /healthz polling itself). ELU counts waiting as idle, so a loaded machine
    // that starves this thread does not make it look busy.
    const during = async (app: SegmentApp) => {
      const health: number[] = [];
      let running = true;
      const poll = (async () => {
        while (running) {
          assert.equal((await app.request("/healthz")).status, 200);
          health.push(performance.now());
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const elu0 = performance.eventLoopUtilization();
      const rs = await Promise.all(
        [1, 2].map(() => app.request("/v1/segment?model=vnet3d-32&rle=false", raw([64, 64, 64]))),
      );
      const elu = performance.eventLoopUtilization(elu0).utilization;
      running = false;
      await poll;
      assert.deepEqual(
        rs.map((r) => r.status),
        [200, 200],
      );
      return { elu, health: health.length };
    };
    const pooled = await during(native);
    const inThread = await during(inline);
    assert.ok(pooled.health >= 3, `/healthz answered ${pooled.health} times`);
    assert.ok(pooled.elu < 0.8, `event loop busy ${(100 * pooled.elu).toFixed(0)}% with the pool`);
    assert.ok(inThread.elu > pooled.elu, `in-thread ${inThread.elu} vs pooled ${pooled.elu}`);
  });

  it("answers runs still queued when it closes with 503 ERR_SHUTTING_DOWN instead of leaving them hanging", async () => {
    const pool = nodeSessionPool({ size: 1, runtime: "web" });
    const app = createApp({ models: modelBytes(), sessions: pool, logger: silentLogger, limits: { queue: 8 } });
    await app.ready;
    const t0 = performance.now();
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
    assert.ok(performance.now() - t0 < 20_000);
  });

  it("replaces a worker that died: the other serves meanwhile; with none left 503 ERR_NO_WORKER, then the replacement serves", async () => {
    const victims: Worker[] = [];
    const pool = nodeSessionPool({ size: 2, runtime: "node", onWorker: (w) => victims.push(w), respawnMs: 200 });
    const app = createApp({ models: modelBytes(), sessions: pool, logger: silentLogger, warmup: 0 });
    await app.ready;
    assert.equal(victims.length, 2);
    // One worker dies: the other serves every request.
    await victims[0].terminate();
    for (let i = 0; i < 3; i++) {
      const r = await app.request("/v1/segment?rle=false", raw([1, 40, 52]));
      assert.equal(r.status, 200, await r.text());
    }
    await until(() => pool.live() === 2);
    assert.equal(pool.spawned(), 3);
    // Both die: refused at once (503, Retry-After) and not ready, until a replacement has opened the models.
    const [a, b] = victims.slice(1);
    await Promise.all([a.terminate(), b.terminate()]);
    const t0 = performance.now();
    const r = await app.request("/v1/segment?rle=false", raw([1, 40, 52]));
    assert.equal(r.status, 503);
    assert.equal((await r.json()).error.code, "ERR_NO_WORKER");
    assert.ok(r.headers.get("retry-after"));
    assert.ok(performance.now() - t0 < 2000);
    assert.equal((await app.request("/readyz")).status, 503);
    await until(async () => (await app.request("/readyz")).status === 200);
    const again = await app.request("/v1/segment?rle=false", raw([1, 40, 52]));
    assert.equal(again.status, 200, await again.text());
    assert.equal(pool.spawned(), 5);
    await app.dispose();
  });

  it("a worker killed mid-request fails that request only; the next one is served by its replacement", async () => {
    const victims: Worker[] = [];
    // onnxruntime-web: terminating a thread inside an onnxruntime-node run aborts the whole process (a native
    // exception), which no pool can survive.
    const pool = nodeSessionPool({ size: 1, runtime: "web", onWorker: (w) => victims.push(w), respawnMs: 50 });
    const app = createApp({ models: modelBytes(), sessions: pool, logger: silentLogger, warmup: 0 });
    await app.ready;
    const pending = app.request("/v1/segment?model=vnet3d-32&rle=false", raw([64, 64, 64]));
    await new Promise((r) => setTimeout(r, 30));
    await victims[0].terminate();
    const r = await pending;
    assert.ok(r.status === 500 || r.status === 200, String(r.status)); // 200 if it had already finished
    await until(async () => (await app.request("/readyz")).status === 200);
    const next = await app.request("/v1/segment?rle=false", raw([1, 40, 52]));
    assert.equal(next.status, 200, await next.text());
    assert.equal(victims.length, 2);
    await app.dispose();
  });

  it("reports a model it cannot open as ModelLoadError ERR_MODEL_SESSION", async () => {
    const pool = nodeSessionPool({ size: 1, runtime: "web" });
    const bytes = modelBytes()[0].slice();
    // Break the graph after the metadata was read: flip bytes in the middle of the weights.
    for (let i = 2000; i < 2400; i++) bytes[i] ^= 0x5a;
    let app: SegmentApp | undefined;
    try {
      app = createApp({ model: bytes, sessions: pool, logger: silentLogger });
      await assert.rejects(app.ready, { code: "ERR_MODEL_SESSION" });
    } catch (e) {
      // The flip may have hit the metadata instead: then createApp refuses it at once.
      assert.match(String((e as { code?: string }).code), /ERR_MODEL_/);
    } finally {
      await (app ? app.dispose() : pool.dispose());
    }
  });
});
