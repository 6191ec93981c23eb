import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../backend/index.ts";
import { registerTrainingGradients } from "../nn/gradients/register-training-gradients.ts";
import { BCP_BATCH_NORM_TRAIN } from "./batch-norm-train.ts";
import { BCP_LEAKY_RELU_GRAD } from "./leaky-relu-grad.ts";
import { registerMissingKernels } from "./register-missing-kernels.ts";

const BACKENDS = ["wasm", "cpu"] as const;
const EPS = 1e-5;

function randn(n: number, seed: number, mean = 0, std = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => mean + std * rng.normal());
}

function assertNear(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= rel * scale, `${label}: [${i}] ${actual[i]} vs ${expected[i]} (|err| ${err} > ${rel}·${scale})`);
  }
}

/** float64 training-mode BatchNorm over the last axis: y, mean, biased variance. */
function refBatchNorm(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>) {
  const c = gamma.length;
  const n = x.length / c;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let i = 0; i < x.length; i++) mean[i % c] += x[i] / n;
  for (let i = 0; i < x.length; i++) variance[i % c] += (x[i] - mean[i % c]) ** 2 / n;
  const y = Float64Array.from(
    x,
    (v, i) => ((v - mean[i % c]) / Math.sqrt(variance[i % c] + EPS)) * gamma[i % c] + beta[i % c],
  );
  return { y, mean, variance };
}

const bnKernel = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
  tf.engine().runKernel(BCP_BATCH_NORM_TRAIN, { x, gamma, beta }, { varianceEpsilon: EPS }) as tf.Tensor[];

before(async () => {
  await selectBackend("wasm");
  registerMissingKernels("cpu");
  registerTrainingGradients();
});

describe("BcpBatchNormTrain", () => {
  const shape = [2, 3, 5, 4];
  const size = 120;
  for (const backend of BACKENDS) {
    it(`${backend}: y, mean and variance equal a float64 reference, also when |mean| ≫ std`, async () => {
      await tf.setBackend(backend);
      for (const [seed, mean, std] of [
        [1, 0, 1],
        [2, 1000, 0.01],
      ]) {
        const x = randn(size, seed, mean, std);
        const gamma = randn(4, 3);
        const beta = randn(4, 4);
        const ref = refBatchNorm(x, gamma, beta);
        const out = bnKernel(tf.tensor(x, shape), tf.tensor(gamma), tf.tensor(beta));
        assertNear(out[0].dataSync(), ref.y, 2e-5, "y");
        assertNear(out[1].dataSync(), ref.mean, 1e-6, "mean");
        assertNear(out[2].dataSync(), ref.variance, 1e-4, "variance");
        tf.dispose(out);
      }
    });

    it(`${backend}: its gradient equals autodiff of the moments formula (y, mean and variance all weighted)`, async () => {
      await tf.setBackend(backend);
      const x = tf.tensor(randn(size, 5, 0.5, 2), shape);
      const gamma = tf.tensor(randn(4, 6));
      const beta = tf.tensor(randn(4, 7));
      const [wy, wm, wv] = [tf.tensor(randn(size, 8), shape), tf.tensor(randn(4, 9)), tf.tensor(randn(4, 10))];
      const loss = (y: tf.Tensor, m: tf.Tensor, v: tf.Tensor) =>
        tf.addN([tf.sum(tf.mul(y, wy)), tf.sum(tf.mul(m, wm)), tf.sum(tf.mul(v, wv))]) as tf.Scalar;
      const fused = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const [y, m, v] = bnKernel(a, g, b);
        return loss(y, m, v);
      })([x, gamma, beta]);
      const composed = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        const y = tf.add(tf.mul(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, EPS))), g), b);
        return loss(y, mean, variance);
      })([x, gamma, beta]);
      ["dx", "dgamma", "dbeta"].forEach((name, i) => {
        assertNear(fused[i].dataSync(), composed[i].dataSync(), 1e-4, name);
      });
    });
  }

  it("its gradient matches float64 central differences (wasm)", async () => {
    await tf.setBackend("wasm");
    const s = [3, 2, 2, 3];
    const x = randn(36, 11);
    const gamma = randn(3, 12);
    const beta = randn(3, 13);
    const w = randn(36, 14);
    const f = (xs: ArrayLike<number>, gs: ArrayLike<number>) =>
      refBatchNorm(xs, gs, beta).y.reduce((acc, v, i) => acc + v * w[i], 0);
    const [dx, dg] = tf.grads((a: tf.Tensor, g: tf.Tensor) =>
      tf.sum(tf.mul(bnKernel(a, g, tf.tensor(beta))[0], tf.tensor(w, s))),
    )([tf.tensor(x, s), tf.tensor(gamma)]);
    const h = 1e-4;
    const central = (v: Float32Array, at: (p: Float64Array) => number) =>
      Float64Array.from(v, (_, i) => {
        const plus = Float64Array.from(v);
        const minus = Float64Array.from(v);
        plus[i] += h;
        minus[i] -= h;
        return (at(plus) - at(minus)) / (2 * h);
      });
    assertNear(
      dx.dataSync(),
      central(x, (p) => f(p, gamma)),
      1e-3,
      "dx",
    );
    assertNear(
      dg.dataSync(),
      central(gamma, (p) => f(x, p)),
      1e-3,
      "dgamma",
    );
  });
});

describe("LeakyRelu and BcpLeakyReluGrad (branch-free)", () => {
  const special = [0, -0, 1e-30, -1e-30, 3, -3, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
  for (const backend of BACKENDS) {
    it(`${backend}: equal where(x > 0, x, alpha·x) in float32, special values included`, async () => {
      await tf.setBackend(backend);
      const xs = Float32Array.from([...special, ...randn(200, 15)]);
      const dys = Float32Array.from({ length: xs.length }, (_, i) => (i % 2 ? 2.5 : -0.75));
      for (const alpha of [0.01, 0.2]) {
        const a32 = Math.fround(alpha);
        const y = tf.leakyRelu(tf.tensor(xs), alpha).dataSync();
        const dx = (
          tf.engine().runKernel(BCP_LEAKY_RELU_GRAD, { dy: tf.tensor(dys), x: tf.tensor(xs) }, { alpha }) as tf.Tensor
        ).dataSync();
        xs.forEach((v, i) => {
          const want = v > 0 ? v : Math.fround(a32 * v);
          const wantDx = v > 0 ? dys[i] : Math.fround(a32 * dys[i]);
          assert.ok(
            Object.is(y[i], want) || (Number.isNaN(y[i]) && Number.isNaN(want)),
            `y(${v}) = ${y[i]}, want ${want}`,
          );
          assert.ok(Object.is(dx[i], wantDx), `dx at ${v} = ${dx[i]}, want ${wantDx}`);
        });
      }
    });
  }

  it("are what tf.grad of leakyRelu runs on wasm", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor([-2, -0.5, 0, 0.5, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(t, 0.1), tf.tensor([1, 2, 3, 4, 5]))))(x);
    assertNear(g.dataSync(), [0.1, 0.2, 0.3, 4, 5], 1e-7, "dx");
  });
});

describe("wasm SplitV on the last axis and no-copy Identity", () => {
  it("split along the last axis equals slices; other axes still work", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor(randn(2 * 3 * 4 * 7, 16), [2, 3, 4, 7]);
    for (const [sizes, axis] of [
      [[3, 4], 3],
      [[1, 5, 1], -1],
      [[2, 2], 2],
      [[1, 1], 0],
    ] as [number[], number][]) {
      const parts = tf.split(x, sizes, axis);
      let begin = 0;
      const ax = axis < 0 ? 4 + axis : axis;
      parts.forEach((p, j) => {
        const b = [0, 0, 0, 0];
        b[ax] = begin;
        const size = [...x.shape];
        size[ax] = sizes[j];
        assert.deepEqual(p.shape, size);
        assert.deepEqual([...p.dataSync()], [...tf.slice(x, b, size).dataSync()]);
        begin += sizes[j];
      });
    }
  });

  it("a clone shares the data and outlives its source", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor([1, 2, 3], [3]);
    const y = tf.clone(x);
    x.dispose();
    assert.deepEqual([...y.dataSync()], [1, 2, 3]);
    y.dispose();
  });
});

describe("wasm Sum over every axis but the last", () => {
  it("equals float64 per-channel sums (keepDims or not); other reductions are unchanged", async () => {
    await tf.setBackend("wasm");
    const shape = [3, 4, 5, 6];
    const v = randn(360, 17, 2, 3);
    const x = tf.tensor(v, shape);
    const want = new Float64Array(6);
    v.forEach((a, i) => {
      want[i % 6] += a;
    });
    assertNear(tf.sum(x, [0, 1, 2]).dataSync(), want, 1e-6, "sum");
    assert.deepEqual(tf.sum(x, [2, 0, 1], true).shape, [1, 1, 1, 6]);
    assertNear(tf.sum(x, [2, 0, 1], true).dataSync(), want, 1e-6, "sum keepDims");
    const total = want.reduce((a, b) => a + b, 0);
    assertNear(tf.sum(x).dataSync(), [total], 1e-6, "sum all");
    const rows = tf.sum(x, [1, 2, 3]).dataSync();
    assert.equal(rows.length, 3);
    assertNear([rows[0] + rows[1] + rows[2]], [total], 1e-6, "sum of row sums");
  });
});
