import assert from "node:assert/strict";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { createRng, defaultContract2d, defaultContract3d } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { createUNet2d } from "../models/unet-2d.ts";
import { createVNet3d } from "../models/vnet-3d.ts";
import { exportInputFromModel, modelWeightsFromTorch } from "./export-input-from-model.ts";
import { exportOnnx } from "./export-onnx.ts";
import { randomTorchWeights } from "./random-torch-weights.ts";
import { maxAbsDiff, RUNTIMES, runOnce } from "./runtimes.test.ts";

await tf.setBackend("cpu");

/** tfjs eval-mode probabilities, channels-last model → [N, C, ...spatial] like the ONNX output. */
function tfjsProbs(
  model: { apply(x: tf.Tensor, o: { training: boolean }): tf.Tensor },
  x: Float32Array,
  shape: number[],
) {
  return tf.tidy(() => {
    const rank = shape.length;
    const perm = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
    const input = tf.transpose(tf.tensor(x, shape), perm);
    const probs = tf.softmax(model.apply(input, { training: false }));
    const back = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
    return tf.transpose(probs, back).dataSync() as Float32Array;
  });
}

describe("exportInputFromModel (trainer model → exporter)", () => {
  it("U-Net: onnxruntime-node and -web probabilities match the tfjs model to 1e-4", async () => {
    const model = createUNet2d({ width: 0.25, seed: 2 });
    try {
      const torch = randomTorchWeights({ kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.25 }, createRng(4));
      model.setWeights(modelWeightsFromTorch({ kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.25 }, torch));
      const { arch, weights } = exportInputFromModel(model);
      assert.deepEqual(arch, { kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.25 });
      for (const k of Object.keys(torch)) assert.deepEqual(weights[k], torch[k], k);
      const rng = createRng(5);
      const x = Float32Array.from({ length: 2 * 32 * 32 }, () => rng.random());
      const want = tfjsProbs(model, x, [2, 1, 32, 32]);
      const bytes = await exportOnnx(arch, weights, { contract: defaultContract2d({ size: [32, 32] }) });
      for (const [name, ort] of RUNTIMES) {
        const out = await runOnce(ort, bytes, x, [2, 1, 32, 32]);
        assert.ok(maxAbsDiff(out.probs.data as Float32Array, want) <= 1e-4, name);
      }
    } finally {
      model.dispose();
    }
  });

  it("V-Net: onnxruntime-node and -web probabilities match the tfjs model to 1e-4", async () => {
    const arch = { kind: "vnet3d", inChannels: 1, numClasses: 2, width: 0.25 } as const;
    const model = createVNet3d({ width: 0.25, seed: 2 });
    try {
      model.setWeights(modelWeightsFromTorch(arch, randomTorchWeights(arch, createRng(6))));
      const input = exportInputFromModel(model);
      const rng = createRng(7);
      const x = Float32Array.from({ length: 16 ** 3 }, () => rng.normal());
      const want = tfjsProbs(model, x, [1, 1, 16, 16, 16]);
      const contract = defaultContract3d({ size: [16, 16, 16], stride: [8, 8, 8] });
      const bytes = await exportOnnx(input.arch, input.weights, { contract });
      for (const [name, ort] of RUNTIMES) {
        const out = await runOnce(ort, bytes, x, [1, 1, 16, 16, 16]);
        assert.ok(maxAbsDiff(out.probs.data as Float32Array, want) <= 1e-4, name);
      }
    } finally {
      model.dispose();
    }
  });
});
