import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { addBatchNorm, applyBatchNorm } from "./batch-norm-layer.ts";
import type { ForwardContext } from "./forward-context.ts";
import { ParamStore } from "./param-store.ts";

await tf.setBackend("cpu");
const train: ForwardContext = { training: true, updateStats: true, rng: createRng(0) };
const evalCtx: ForwardContext = { training: false, updateStats: true, rng: createRng(0) };

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])),
      `[${i}] ${actual[i]} vs ${expected[i]}`,
    );
  }
}

describe("applyBatchNorm", () => {
  // Channel 0 values 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1 values 0, 0, 4, 4 (2, 4, 16/3).
  const x = () => tf.tensor([1, 0, 2, 0, 3, 4, 6, 4], [2, 2, 1, 2]);

  it("normalises with batch statistics and updates running stats like PyTorch (hand table)", () => {
    const store = new ParamStore();
    addBatchNorm(store, "bn", 2);
    const y = applyBatchNorm(store, "bn", x(), train);
    const s0 = Math.sqrt(3.5 + 1e-5);
    const s1 = Math.sqrt(4 + 1e-5);
    close(y.dataSync(), [-2 / s0, -2 / s1, -1 / s0, -2 / s1, 0, 2 / s1, 3 / s0, 2 / s1]);
    close(store.get("bn.running_mean").dataSync(), [0.3, 0.2]);
    close(store.get("bn.running_var").dataSync(), [0.9 + 0.1 * (14 / 3), 0.9 + 0.1 * (16 / 3)]);
    assert.equal(store.get("bn.num_batches_tracked").dataSync()[0], 1);
    applyBatchNorm(store, "bn", x(), train);
    close(store.get("bn.running_mean").dataSync(), [0.9 * 0.3 + 0.3, 0.9 * 0.2 + 0.2]);
    close(store.get("bn.running_var").dataSync(), [
      0.9 * (0.9 + 0.1 * (14 / 3)) + 0.1 * (14 / 3),
      0.9 * (0.9 + 0.1 * (16 / 3)) + 0.1 * (16 / 3),
    ]);
    assert.equal(store.get("bn.num_batches_tracked").dataSync()[0], 2);
    store.dispose();
  });

  it("uses running statistics and the affine in eval, changing nothing", () => {
    const store = new ParamStore();
    addBatchNorm(store, "bn", 2);
    store.setWeights({
      "bn.weight": Float32Array.of(2, 1),
      "bn.bias": Float32Array.of(0, 1),
      "bn.running_mean": Float32Array.of(1, -1),
      "bn.running_var": Float32Array.of(4, 1),
      "bn.num_batches_tracked": Int32Array.of(5),
    });
    const y = applyBatchNorm(store, "bn", x(), evalCtx);
    const s0 = Math.sqrt(4 + 1e-5);
    const s1 = Math.sqrt(1 + 1e-5);
    close(y.dataSync(), [0, 1 + 1 / s1, (2 * 1) / s0, 1 + 1 / s1, (2 * 2) / s0, 1 + 5 / s1, (2 * 5) / s0, 1 + 5 / s1]);
    close(store.get("bn.running_mean").dataSync(), [1, -1]);
    assert.equal(store.get("bn.num_batches_tracked").dataSync()[0], 5);
    store.dispose();
  });

  it("leaves running stats alone when updateStats is false", () => {
    const store = new ParamStore();
    addBatchNorm(store, "bn", 2);
    applyBatchNorm(store, "bn", x(), { ...train, updateStats: false });
    close(store.get("bn.running_mean").dataSync(), [0, 0]);
    assert.equal(store.get("bn.num_batches_tracked").dataSync()[0], 0);
    store.dispose();
  });

  it("refuses one value per channel in training, as PyTorch does", () => {
    const store = new ParamStore();
    addBatchNorm(store, "bn", 2);
    assert.throws(() => applyBatchNorm(store, "bn", tf.ones([1, 1, 1, 2]), train), { code: "ERR_SHAPE" });
    store.dispose();
  });
});
