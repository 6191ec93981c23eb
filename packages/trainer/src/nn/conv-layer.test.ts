import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { addConv, applyConv, applyConvTranspose3dK2 } from "./conv-layer.ts";
import { registerTrainingGradients } from "./gradients/register-training-gradients.ts";
import { ParamStore } from "./param-store.ts";

await tf.setBackend("cpu");
registerTrainingGradients();

describe("addConv", () => {
  it("draws weight and bias in ±1/√fan_in, with fan_in from weight.size(1) in PyTorch layout", () => {
    const store = new ParamStore();
    addConv(store, createRng(1), "c", "conv2d", 4, 8, 3); // fan_in 4·9
    addConv(store, createRng(2), "t", "convTranspose3d", 16, 2, 2); // fan_in = out·8 = 16
    assert.deepEqual(store.get("c.weight").shape, [3, 3, 4, 8]);
    assert.deepEqual(store.get("t.weight").shape, [2, 2, 2, 2, 16]);
    for (const [name, bound] of [
      ["c", 1 / 6],
      ["t", 1 / 4],
    ] as const) {
      const w = store.get(`${name}.weight`).dataSync();
      const b = store.get(`${name}.bias`).dataSync();
      const maxAbs = Math.max(...w, ...b.map(Math.abs), ...w.map((v) => -v));
      assert.ok(maxAbs <= bound && maxAbs > 0.8 * bound, `${name}: max |w| ${maxAbs}, bound ${bound}`);
    }
    store.dispose();
  });

  it("is reproducible from the seed", () => {
    const a = new ParamStore();
    const b = new ParamStore();
    addConv(a, createRng(9), "c", "conv3d", 2, 3, 3);
    addConv(b, createRng(9), "c", "conv3d", 2, 3, 3);
    assert.deepEqual(a.getWeights(), b.getWeights());
    a.dispose();
    b.dispose();
  });
});

describe("applyConvTranspose3dK2", () => {
  it("equals tf.conv3dTranspose (kernel 2, stride 2) and a direct loop", () => {
    const store = new ParamStore();
    addConv(store, createRng(3), "t", "convTranspose3d", 3, 2, 2);
    const x = tf.randomNormal([2, 2, 3, 1, 3], 0, 1, "float32", 5) as tf.Tensor5D;
    const ours = applyConvTranspose3dK2(store, "t", x);
    const w = store.get("t.weight") as tf.Tensor5D;
    const ref = tf.add(tf.conv3dTranspose(x, w, [2, 4, 6, 2, 2], 2, "valid"), store.get("t.bias"));
    assert.deepEqual(ours.shape, [2, 4, 6, 2, 2]);
    const a = ours.dataSync();
    const r = ref.dataSync();
    for (let i = 0; i < r.length; i++) assert.ok(Math.abs(a[i] - r[i]) < 1e-5, `[${i}] ${a[i]} vs ${r[i]}`);
    // One voxel by hand: out[1, 3, 4, 1, o] = Σ_i x[1, 1, 2, 0, i]·W[1, 0, 1, o, i] + bias[o]
    const xb = x.bufferSync();
    const wb = w.bufferSync();
    const bias = store.get("t.bias").dataSync();
    const ob = ours.bufferSync();
    for (let o = 0; o < 2; o++) {
      let s = bias[o];
      for (let i = 0; i < 3; i++) s += xb.get(1, 1, 2, 0, i) * wb.get(1, 0, 1, o, i);
      assert.ok(Math.abs(ob.get(1, 3, 4, 1, o) - s) < 1e-5);
    }
    store.dispose();
  });

  it("has gradients (tfjs has none for conv3dTranspose)", () => {
    const store = new ParamStore();
    addConv(store, createRng(4), "t", "convTranspose3d", 2, 2, 2);
    const x = tf.ones([1, 1, 1, 1, 2]);
    const { grads } = tf.variableGrads(
      () => tf.sum(applyConvTranspose3dK2(store, "t", x)) as tf.Scalar,
      store.trainable(),
    );
    // d/dW = Σ over the 8 outputs of x = 1 each; d/dbias = 8 outputs.
    const names = Object.keys(grads);
    assert.equal(names.length, 2);
    for (const g of Object.values(grads)) assert.ok(g.dataSync().every((v) => v === 1 || v === 8));
    store.dispose();
  });
});

describe("applyConv", () => {
  it("pads 3x3 by one ('same') and k2 s2 is 'valid'", () => {
    const store = new ParamStore();
    addConv(store, createRng(5), "c", "conv2d", 1, 2, 3);
    addConv(store, createRng(6), "d", "conv3d", 1, 2, 2);
    assert.deepEqual(applyConv(store, "c", tf.ones([1, 4, 6, 1])).shape, [1, 4, 6, 2]);
    assert.deepEqual(applyConv(store, "d", tf.ones([1, 4, 6, 2, 1]), 2).shape, [1, 2, 3, 1, 2]);
    store.dispose();
  });
});
