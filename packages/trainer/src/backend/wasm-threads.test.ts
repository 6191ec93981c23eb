import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { createUNet2d } from "../models/unet-2d.ts";
import { BackendUnavailableError, backendInfo, selectBackend } from "./index.ts";

/** Three plain SGD steps (lr 0.1) of a small U-Net, forward and backward, from fixed data; every weight afterwards. */
function sgdSteps(): Float32Array[] {
  const model = createUNet2d({ width: 0.25, seed: 3 });
  const rng = createRng(9);
  const x = tf.tensor(
    Float32Array.from({ length: 2 * 32 * 32 }, () => rng.normal()),
    [2, 32, 32, 1],
  );
  const labels = tf.tensor(
    Int32Array.from({ length: 2 * 32 * 32 }, () => rng.randint(0, 4)),
    [2, 32, 32],
  );
  const target = tf.oneHot(labels, 4);
  const vars = model.trainableVariables as tf.Variable[];
  for (let step = 0; step < 3; step++) {
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(x, { training: true, rng: createRng(5 + step) });
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), target), -1))) as tf.Scalar;
    }, vars);
    for (const v of vars) v.assign(tf.tidy(() => tf.sub(v, tf.mul(0.1, grads[v.name]))));
    tf.dispose([value, ...Object.values(grads)]);
  }
  const weights = vars.map((v) => Float32Array.from(v.dataSync()));
  tf.dispose([x, labels, target]);
  model.dispose();
  return weights;
}

/** Gradients of a conv3d -> maxPool3d -> resize chain (bcpseg's 3-D kernels, im2col + XNNPACK MatMul). */
function grads3d(): Float32Array[] {
  const rng = createRng(4);
  const x = tf.tensor(
    Float32Array.from({ length: 2 * 8 * 8 * 8 * 3 }, () => rng.normal()),
    [2, 8, 8, 8, 3],
  );
  const w = tf.tensor(
    Float32Array.from({ length: 27 * 3 * 8 }, () => rng.normal()),
    [3, 3, 3, 3, 8],
  );
  const f = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.square(tf.maxPool3d(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 1, "same"), 2, 2, "valid")));
  const out = tf
    .grads(f)([x, w])
    .map((g) => Float32Array.from(g.dataSync()));
  tf.dispose([x, w]);
  return out;
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0;
  a.forEach((w, k) => {
    for (let i = 0; i < w.length; i++) d = Math.max(d, Math.abs(w[i] - b[k][i]));
  });
  return d;
}

describe("selectBackend wasm threads", () => {
  it("runs the threaded build with the threads asked for, and its conv gradients", async () => {
    const info = await selectBackend("wasm", { threads: 2 });
    assert.equal(info.name, "wasm");
    assert.equal(info.threads, 2);
    assert.equal(info.simd, true);
    assert.equal(info.threadsFallback, null);
    assert.equal("Worker" in globalThis, false, "emscripten's global Worker is removed again");
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.conv2d(x as tf.Tensor4D, tf.ones<tf.Rank.R4>([3, 3, 1, 2]), 1, "same")),
    );
    assert.deepEqual([...g(tf.ones([1, 3, 3, 1])).dataSync()], [8, 12, 8, 12, 18, 12, 8, 12, 8]);
    // Unchanged threads keep the running backend, and so its tensors.
    const kept = tf.ones([2]);
    assert.equal((await selectBackend("wasm")).threads, 2);
    assert.deepEqual([...kept.dataSync()], [1, 1]);
  });

  it("restarts between builds; tfjs's wrapped kernels (Sum, LeakyRelu) bind to the new instance", async () => {
    for (const threads of [1, 3, 1]) {
      assert.equal((await selectBackend("wasm", { threads })).threads, threads);
      const x = tf.tensor2d([
        [-2, 4],
        [6, -8],
      ]);
      assert.deepEqual([...tf.sum(x, 0).dataSync()], [4, -4]);
      assert.deepEqual([...tf.leakyRelu(x, 0.5).dataSync()], [-1, 4, 6, -4]);
    }
  });

  it("U-Net SGD steps and 3-D gradients are bit-identical run to run with 2 threads, and equal to 1 thread", async () => {
    await selectBackend("wasm", { threads: 2 });
    const a = sgdSteps();
    const a3 = grads3d();
    await selectBackend("wasm", { threads: 1 });
    const one = sgdSteps();
    const one3 = grads3d();
    await selectBackend("wasm", { threads: 2 }); // a fresh threaded instance
    const b = sgdSteps();
    // XNNPACK splits the outputs of a GEMM or conv between threads; every output keeps one thread's reduction order.
    assert.equal(maxAbsDiff(a, b), 0, "threads 2, run to run");
    assert.equal(maxAbsDiff(a, one), 0, "threads 2 vs threads 1");
    assert.equal(maxAbsDiff(a3, one3), 0, "3-D gradients, threads 2 vs threads 1");
  });

  it("rejects a thread count outside 1..8 with ERR_ARGUMENT", async () => {
    for (const threads of [0, 9, 1.5]) {
      await assert.rejects(selectBackend("wasm", { threads }), { code: "ERR_ARGUMENT" });
    }
  });

  it("without SharedArrayBuffer: an explicit count throws ERR_BACKEND_UNAVAILABLE, auto falls back and says why", async () => {
    await selectBackend("wasm", { threads: 1 });
    const sab = globalThis.SharedArrayBuffer;
    // @ts-expect-error simulating a runtime without shared memory
    delete globalThis.SharedArrayBuffer;
    try {
      await assert.rejects(selectBackend("wasm", { threads: 2 }), (e: unknown) => {
        assert.ok(e instanceof BackendUnavailableError);
        assert.equal(e.code, "ERR_BACKEND_UNAVAILABLE");
        assert.match(e.message, /threaded wasm build.*SharedArrayBuffer/);
        return true;
      });
      const info = await selectBackend("wasm", { threads: "auto" });
      assert.equal(info.threads, 1);
      if (availableParallelism() > 1) assert.match(info.threadsFallback ?? "", /SharedArrayBuffer.*running 1 thread/);
      assert.deepEqual(backendInfo(), info);
      assert.deepEqual([...tf.add(tf.ones([2]), 1).dataSync()], [2, 2]);
    } finally {
      globalThis.SharedArrayBuffer = sab;
    }
  });

  it("a script on the threaded backend exits by itself", () => {
    const index = pathToFileURL(fileURLToPath(new URL("./index.ts", import.meta.url))).href;
    const dir = mkdtempSync(join(tmpdir(), "bcpseg-threads-"));
    const script = join(dir, "exits.mts"); // outside the package: imports by URL
    writeFileSync(
      script,
      `import * as tf from ${JSON.stringify(import.meta.resolve("@tensorflow/tfjs-core"))};
      import { selectBackend } from ${JSON.stringify(index)};
      const info = await selectBackend("wasm", { threads: 2 });
      console.log(info.threads, tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0]);`,
    );
    try {
      const r = spawnSync(process.execPath, ["--conditions=@bcpseg/source", "--import", "tsx", script], {
        cwd: fileURLToPath(new URL(".", import.meta.url)),
        encoding: "utf8",
        timeout: 60_000,
      });
      assert.equal(r.signal, null, "killed by the timeout: a pthread worker kept the process alive");
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), "2 64");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
