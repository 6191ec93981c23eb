import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import shapes from "../../../core/test/fixtures/schedules_and_shapes.json" with { type: "json" };
import { fromTorchShape, toTorchShape } from "../nn/torch-layout.ts";
import { createVNet3d } from "./vnet-3d.ts";

await tf.setBackend("cpu");

const official = Object.entries(shapes.vnet_3d.state_dict_shapes as Record<string, number[]>).filter(
  ([k]) => k.startsWith("encoder.") || k.startsWith("decoder."),
);
const input = (n: number, s: number, seed = 1) => tf.randomNormal([n, s, s, s, 1], 0, 1, "float32", seed);

describe("createVNet3d", () => {
  it("has the official encoder/decoder state dict at width 1 (no forward pass)", () => {
    const model = createVNet3d();
    const entries = model.params.entries();
    assert.deepEqual(
      entries.map(([k]) => k),
      official.map(([k]) => k),
    );
    for (const [i, [name, v]] of entries.entries()) {
      assert.deepEqual(toTorchShape(v.shape), official[i][1], name);
      assert.deepEqual(v.shape, fromTorchShape(official[i][1]), name);
    }
    assert.equal(model.paramCount(), shapes.vnet_3d.params_encoder_decoder); // 9 448 866
    model.dispose();
  });

  it("maps [1, 32, 32, 32, 1] to two-class logits [1, 32, 32, 32, 2]", () => {
    const model = createVNet3d({ width: 0.25, seed: 2 });
    const y = model.apply(input(1, 32), { training: false });
    assert.deepEqual(y.shape, [1, 32, 32, 32, 2]);
    assert.ok(y.dataSync().every(Number.isFinite));
    assert.deepEqual(model.apply(input(2, 16), { training: true }).shape, [2, 16, 16, 16, 2]);
    model.dispose();
  });

  it("is deterministic in eval; Dropout3d in training follows the rng; no dropout ignores it", () => {
    const model = createVNet3d({ width: 0.25, seed: 3 });
    const x = input(2, 16);
    assert.deepEqual(model.apply(x, { training: false }).dataSync(), model.apply(x, { training: false }).dataSync());
    const run = (m: typeof model, seed: number) => m.apply(x, { training: true, rng: createRng(seed) }).dataSync();
    assert.deepEqual(run(model, 1), run(model, 1));
    assert.notDeepEqual(run(model, 1), run(model, 2));
    const plain = createVNet3d({ width: 0.25, seed: 3, dropout: false });
    assert.deepEqual(run(plain, 1), run(plain, 2));
    model.dispose();
    plain.dispose();
  });

  it("sends a gradient to every trainable parameter and leaks no tensors", () => {
    const model = createVNet3d({ width: 0.125, seed: 4 });
    const x = input(2, 16);
    const vars = model.trainableVariables as tf.Variable[];
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => tf.mean(tf.square(model.apply(x, { training: true }))) as tf.Scalar,
          vars,
        );
        assert.equal(Object.keys(grads).length, vars.length);
        for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
      });
    step();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    assert.equal(tf.memory().numTensors, count);
    model.dispose();
  });

  it("names the error for bad options and inputs", () => {
    assert.throws(() => createVNet3d({ width: -1 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => createVNet3d({ inChannels: 1.5 }), { code: "ERR_ARGUMENT" });
    const model = createVNet3d({ width: 0.125 });
    assert.throws(() => model.apply(tf.zeros([1, 16, 16, 8, 1]), { training: false }), { code: "ERR_SHAPE" });
    assert.throws(() => model.apply(tf.zeros([1, 16, 16, 16, 2]), { training: false }), { code: "ERR_SHAPE" });
    assert.throws(() => model.apply(tf.zeros([1, 16, 16, 16]), { training: false }), { code: "ERR_SHAPE" });
    model.dispose();
  });
});
