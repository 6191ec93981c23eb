import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import shapes from "../../../core/test/fixtures/schedules_and_shapes.json" with { type: "json" };
import { fromTorchShape, toTorchShape } from "../nn/torch-layout.ts";
import { createUNet2d } from "./unet-2d.ts";

await tf.setBackend("cpu");

const official = Object.entries(shapes.unet_2d.state_dict_shapes as Record<string, number[]>).filter(
  ([k]) => k.startsWith("encoder.") || k.startsWith("decoder."),
);
const input = (n: number, h: number, seed = 1) => tf.randomNormal([n, h, h, 1], 0, 1, "float32", seed);

describe("createUNet2d", () => {
  it("has the official encoder/decoder state dict: names, order, PyTorch shapes and count", () => {
    const model = createUNet2d();
    const entries = model.params.entries();
    assert.deepEqual(
      entries.map(([k]) => k),
      official.map(([k]) => k),
    );
    for (const [i, [name, v]] of entries.entries()) {
      assert.deepEqual(toTorchShape(v.shape), official[i][1], name);
      assert.deepEqual(v.shape, fromTorchShape(official[i][1]), name);
    }
    assert.equal(model.paramCount(), shapes.unet_2d.params_encoder_decoder); // 1 813 764
    assert.equal(model.trainableVariables.length + model.statVariables.length, official.length);
    model.dispose();
  });

  it("maps [1, 64, 64, 1] to logits [1, 64, 64, 4] (NCHW 1x1x64x64 → 1x4x64x64)", () => {
    const model = createUNet2d({ seed: 3 });
    const y = model.apply(input(1, 64), { training: false });
    assert.deepEqual(y.shape, [1, 64, 64, 4]);
    assert.ok(y.dataSync().every(Number.isFinite));
    model.dispose();
  });

  it("initialises reproducibly from the seed", () => {
    const [a, b, c] = [5, 5, 6].map((seed) => createUNet2d({ width: 0.25, seed }));
    assert.deepEqual(a.getWeights(), b.getWeights());
    assert.notDeepEqual(a.getWeights()["decoder.out_conv.weight"], c.getWeights()["decoder.out_conv.weight"]);
    for (const m of [a, b, c]) m.dispose();
  });

  it("updates BatchNorm running statistics like PyTorch in training (hand computation)", () => {
    const model = createUNet2d({ width: 0.25, seed: 2 });
    const x = input(2, 16);
    const p = (k: string) => model.params.get(`encoder.in_conv.conv_conv.${k}`);
    // The first BN sees conv0(x): its running mean becomes 0.1·mean, its running var 0.9 + 0.1·unbiased var.
    const z = tf.add(tf.conv2d(x as tf.Tensor4D, p("0.weight") as tf.Tensor4D, 1, "same"), p("0.bias"));
    const { mean, variance } = tf.moments(z, [0, 1, 2]);
    const n = 2 * 16 * 16;
    const wantMean = tf.mul(mean, 0.1).dataSync();
    const wantVar = tf.add(tf.mul(variance, (0.1 * n) / (n - 1)), 0.9).dataSync();
    model.apply(x, { training: true, rng: createRng(0) });
    const gotMean = p("1.running_mean").dataSync();
    const gotVar = p("1.running_var").dataSync();
    for (let c = 0; c < wantMean.length; c++) {
      assert.ok(Math.abs(gotMean[c] - wantMean[c]) < 1e-6, `mean[${c}]`);
      assert.ok(Math.abs(gotVar[c] - wantVar[c]) < 1e-5, `var[${c}]`);
    }
    for (const [name, v] of model.params.entries()) {
      if (name.endsWith("num_batches_tracked")) assert.equal(v.dataSync()[0], 1, name);
    }
    model.dispose();
  });

  it("is deterministic in eval and leaves the statistics alone", () => {
    const model = createUNet2d({ width: 0.25, seed: 4 });
    const x = input(2, 32);
    const before = model.getWeights();
    const a = model.apply(x, { training: false }).dataSync();
    const b = model.apply(x, { training: false }).dataSync();
    assert.deepEqual(a, b);
    assert.deepEqual(model.getWeights(), before);
    model.dispose();
  });

  it("draws dropout from the rng in training: same seed same output, other seed differs", () => {
    const model = createUNet2d({ width: 0.25, seed: 4 });
    const x = input(2, 32);
    const run = (seed: number) => model.apply(x, { training: true, rng: createRng(seed) }).dataSync();
    assert.deepEqual(run(1), run(1));
    assert.notDeepEqual(run(1), run(2));
    // The model's own stream advances between calls.
    assert.notDeepEqual(model.apply(x, { training: true }).dataSync(), model.apply(x, { training: true }).dataSync());
    const noDrop = createUNet2d({ width: 0.25, seed: 4, dropout: [0, 0, 0, 0, 0] });
    const o = (seed: number) => noDrop.apply(x, { training: true, rng: createRng(seed) }).dataSync();
    assert.deepEqual(o(1), o(2));
    model.dispose();
    noDrop.dispose();
  });

  it("copies weights between models with getWeights/setWeights", () => {
    const a = createUNet2d({ width: 0.25, seed: 7 });
    const b = createUNet2d({ width: 0.25, seed: 8 });
    a.apply(input(2, 16), { training: true }); // make the statistics non-trivial
    b.setWeights(a.getWeights());
    const x = input(1, 16, 9);
    assert.deepEqual(a.apply(x, { training: false }).dataSync(), b.apply(x, { training: false }).dataSync());
    a.dispose();
    b.dispose();
  });

  it("matches finite differences on a few parameters (width 0.25, 2x16x16, training)", () => {
    const model = createUNet2d({ width: 0.25, seed: 11 });
    const x = input(2, 16, 12);
    const r = tf.randomNormal([2, 16, 16, 4], 0, 1, "float32", 13);
    // Fixed dropout masks and no stat updates make the loss a deterministic function of the weights.
    const loss = () =>
      tf.sum(tf.mul(model.apply(x, { training: true, rng: createRng(5), updateStats: false }), r)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, model.trainableVariables as tf.Variable[]);
    const byName = new Map(model.params.entries().map(([k, v]) => [k, grads[v.name]]));
    const probes: [string, number][] = [
      ["encoder.in_conv.conv_conv.0.weight", 3],
      ["encoder.down2.maxpool_conv.1.conv_conv.4.weight", 100],
      ["encoder.down4.maxpool_conv.1.conv_conv.5.weight", 2],
      ["decoder.up1.conv1x1.weight", 17],
      ["decoder.up3.conv.conv_conv.1.bias", 1],
      ["decoder.up4.conv.conv_conv.0.weight", 40],
      ["decoder.out_conv.weight", 5],
      ["decoder.out_conv.bias", 2],
    ];
    const eps = 3e-3; // small enough to stay clear of LeakyReLU / max-pool kinks, large for float32 round-off
    for (const [name, i] of probes) {
      const v = model.params.get(name);
      const base = v.dataSync().slice();
      const at = (delta: number) => {
        const d = base.slice();
        d[i] += delta;
        v.assign(tf.tensor(d, v.shape));
        return tf.tidy(() => loss().dataSync()[0]);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(base, v.shape));
      const g = byName.get(name)!.dataSync()[i];
      assert.ok(Math.abs(g - fd) <= 0.05 * Math.max(Math.abs(g), Math.abs(fd)) + 0.02, `${name}[${i}]: ${g} vs ${fd}`);
    }
    model.dispose();
  });

  it("does not leak tensors over training steps", () => {
    const model = createUNet2d({ width: 0.25, seed: 1 });
    const x = input(2, 16);
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => tf.mean(tf.square(model.apply(x, { training: true }))) as tf.Scalar,
          model.trainableVariables as tf.Variable[],
        );
        for (const v of model.trainableVariables) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
      });
    step();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, count);
    model.dispose();
  });

  it("names the error for bad options and inputs", () => {
    assert.throws(() => createUNet2d({ width: 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => createUNet2d({ dropout: [0.1, 0.2] }), { code: "ERR_ARGUMENT" });
    assert.throws(() => createUNet2d({ numClasses: 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => createUNet2d({ seed: 0.5 }), { code: "ERR_ARGUMENT" });
    const model = createUNet2d({ width: 0.25 });
    assert.throws(() => model.apply(tf.zeros([1, 24, 32, 1]), { training: false }), { code: "ERR_SHAPE" });
    assert.throws(() => model.apply(tf.zeros([1, 32, 32, 2]), { training: false }), { code: "ERR_SHAPE" });
    assert.throws(() => model.apply(tf.zeros([32, 32, 1]), { training: false }), { code: "ERR_SHAPE" });
    assert.throws(() => model.apply(tf.zeros([1, 32, 32, 1], "int32"), { training: false }), { code: "ERR_DTYPE" });
    assert.throws(() => model.apply(tf.zeros([1, 32, 32, 1]), {} as never), { code: "ERR_ARGUMENT" });
    // One value per channel at the bottleneck: PyTorch refuses BatchNorm training there too.
    assert.throws(() => model.apply(tf.zeros([1, 16, 16, 1]), { training: true }), { code: "ERR_SHAPE" });
    model.dispose();
  });
});
