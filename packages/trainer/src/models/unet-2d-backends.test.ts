import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { registerGradients, selectBackend } from "../backend/index.ts";
import { BCP_BATCH_NORM_TRAIN, BCP_BATCH_NORM_TRAIN_GRAD } from "../kernels/batch-norm-train.ts";
import { BCP_LEAKY_RELU_GRAD } from "../kernels/leaky-relu-grad.ts";
import { registerMissingKernels } from "../kernels/register-missing-kernels.ts";
import { createUNet2d } from "./unet-2d.ts";

/** One training-mode forward/backward of a small U-Net: loss, every parameter gradient, the BN running means. */
function trainStep() {
  const model = createUNet2d({ width: 0.25, seed: 3 });
  const rng = createRng(9);
  const x = tf.tensor(
    Float32Array.from({ length: 2 * 32 * 32 }, () => rng.normal()),
    [2, 32, 32, 1],
  );
  const target = tf.oneHot(
    tf.tensor(
      Int32Array.from({ length: 2 * 32 * 32 }, () => rng.randint(0, 4)),
      [2, 32, 32],
    ),
    4,
  );
  const vars = model.trainableVariables as tf.Variable[];
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(x, { training: true, rng: createRng(5) });
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), target), -1))) as tf.Scalar;
  }, vars);
  const out = {
    loss: value.dataSync()[0],
    grads: vars.map((v) => Float32Array.from(grads[v.name].dataSync())),
    names: model.params.entries().map(([k]) => k),
    runningMean: Float32Array.from(model.params.get("decoder.up4.conv.conv_conv.5.running_mean").dataSync()),
  };
  tf.dispose([x, target, value, ...Object.values(grads)]);
  model.dispose();
  return out;
}

describe("the U-Net's training step on wasm (bcpseg kernels) equals tfjs-cpu's own kernels", () => {
  it("loss, all parameter gradients (1e-3 of each tensor's largest entry) and running statistics", async () => {
    await tf.setBackend("cpu"); // the reference: tfjs's kernels, moments-based BatchNorm, composed LeakyReLU grad
    registerGradients();
    registerMissingKernels("cpu", ["ResizeBilinearGrad"]);
    for (const name of [BCP_BATCH_NORM_TRAIN, BCP_BATCH_NORM_TRAIN_GRAD, BCP_LEAKY_RELU_GRAD]) {
      if (tf.getKernel(name, "cpu") !== undefined) tf.unregisterKernel(name, "cpu");
    }
    const cpu = trainStep();
    const info = await selectBackend("wasm");
    assert.ok(info.kernels.includes(BCP_BATCH_NORM_TRAIN) && info.kernels.includes("Conv2DBackpropFilter"));
    const wasm = trainStep();
    assert.ok(Math.abs(wasm.loss - cpu.loss) <= 1e-5 * Math.abs(cpu.loss), `loss ${wasm.loss} vs ${cpu.loss}`);
    wasm.grads.forEach((g, k) => {
      let scale = 0;
      for (const v of cpu.grads[k]) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < g.length; i++) {
        const err = Math.abs(g[i] - cpu.grads[k][i]);
        assert.ok(err <= 1e-3 * scale + 1e-7, `${wasm.names[k]}[${i}]: wasm ${g[i]} vs cpu ${cpu.grads[k][i]}`);
      }
    });
    wasm.runningMean.forEach((v, i) => {
      assert.ok(Math.abs(v - cpu.runningMean[i]) <= 1e-5, `running_mean[${i}]`);
    });
  });
});
