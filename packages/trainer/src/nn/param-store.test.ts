import assert from "node:assert/strict";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { addBatchNorm } from "./batch-norm-layer.ts";
import { ParamStore } from "./param-store.ts";

await tf.setBackend("cpu");

describe("ParamStore", () => {
  it("keeps state-dict order and separates parameters from statistics", () => {
    const store = new ParamStore();
    store.add("conv.weight", tf.ones([1, 1, 2, 3]), true);
    addBatchNorm(store, "bn", 3);
    assert.deepEqual(store.names(), [
      "conv.weight",
      "bn.weight",
      "bn.bias",
      "bn.running_mean",
      "bn.running_var",
      "bn.num_batches_tracked",
    ]);
    assert.equal(store.trainable().length, 3);
    assert.equal(store.stats().length, 3);
    assert.equal(store.paramCount(), 6 + 3 + 3);
    store.dispose();
  });

  it("round-trips weights as copies, with an int32 counter truncated toward zero", () => {
    const store = new ParamStore();
    addBatchNorm(store, "bn", 2);
    const w = store.getWeights();
    assert.ok(w["bn.weight"] instanceof Float32Array);
    assert.ok(w["bn.num_batches_tracked"] instanceof Int32Array);
    w["bn.weight"][0] = 5; // a copy: the variable is untouched
    assert.equal(store.get("bn.weight").dataSync()[0], 1);
    store.setWeights({ ...w, "bn.num_batches_tracked": Float32Array.of(2.99) });
    assert.equal(store.get("bn.weight").dataSync()[0], 5);
    assert.equal(store.get("bn.num_batches_tracked").dataSync()[0], 2);
    assert.equal(store.get("bn.num_batches_tracked").dtype, "int32");
    store.dispose();
  });

  it("does not leak tensors on setWeights", () => {
    const store = new ParamStore();
    addBatchNorm(store, "bn", 2);
    const w = store.getWeights();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) store.setWeights(w);
    assert.equal(tf.memory().numTensors, before);
    store.dispose();
  });

  it("names the error for unknown, missing, duplicate or misfit entries", () => {
    const store = new ParamStore();
    addBatchNorm(store, "bn", 2);
    assert.throws(() => store.get("nope"), { code: "ERR_ARGUMENT" });
    assert.throws(() => store.add("bn.weight", tf.ones([2]), true), { code: "ERR_ARGUMENT" });
    const w = store.getWeights();
    const { "bn.bias": _bias, ...missing } = w;
    assert.throws(() => store.setWeights(missing), { code: "ERR_ARGUMENT" });
    assert.throws(() => store.setWeights({ ...w, extra: new Float32Array(1) }), { code: "ERR_ARGUMENT" });
    assert.throws(() => store.setWeights({ ...w, "bn.bias": new Float32Array(3) }), { code: "ERR_SHAPE" });
    store.dispose();
  });
});
