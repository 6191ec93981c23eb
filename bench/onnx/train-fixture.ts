// Trains the small 2D U-Net whose weights the int8 agreement test of packages/trainer/src/export uses
// (fixtures/unet2d-synth64.safetensors, PyTorch layout and names): supervised (CE + Dice) on phantom slices, PyTorch momentum SGD with a
// poly schedule, on the tfjs wasm backend. Training inside the test takes minutes on a loaded 2-core machine,
// hence a committed fixture. Deterministic for a given tfjs build. Usage:
//   node --conditions=@bcpseg/source --import tsx bench/onnx/train-fixture.ts [--iterations 1000] [--out PATH]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { synthSlices2d } from "@bcpseg/core";
import {
  createUNet2d,
  encodeSafetensors,
  exportInputFromModel,
  MomentumSgd,
  type StoredTensor,
  tfSupervisedLoss,
  torchParamShapes,
} from "@bcpseg/trainer";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../../packages/trainer/src/backend/index.ts";
import { ROOT } from "./source.ts";

/** The recipe, stored in the fixture's metadata; the test regenerates the same phantoms from it. */
export const RECIPE = {
  size: [64, 64],
  width: 0.125,
  trainSlices: 400,
  trainSeed: 11,
  modelSeed: 1,
  batch: 4,
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 1e-4,
  poly: 0.9,
} as const;

const { values: args } = parseArgs({
  options: {
    iterations: { type: "string", default: "1000" },
    out: { type: "string", default: join(ROOT, "packages/trainer/src/export/fixtures/unet2d-synth64.safetensors") },
  },
});
const iterations = Number(args.iterations);
const backend = await selectBackend("wasm");
const [H, W] = RECIPE.size;
const n = H * W;
const data = synthSlices2d({ count: RECIPE.trainSlices, size: RECIPE.size, seed: RECIPE.trainSeed });
const model = createUNet2d({ width: RECIPE.width, seed: RECIPE.modelSeed });
const vars = model.trainableVariables as tf.Variable[];
const opt = new MomentumSgd(
  vars.map((v) => [v.name, v] as const),
  { lr: RECIPE.lr, momentum: RECIPE.momentum, weightDecay: RECIPE.weightDecay },
);
const started = performance.now();
for (let it = 0; it < iterations; it++) {
  const x = new Float32Array(RECIPE.batch * n);
  const y = new Int32Array(RECIPE.batch * n);
  for (let k = 0; k < RECIPE.batch; k++) {
    const s = (it * RECIPE.batch + k) % RECIPE.trainSlices;
    x.set(data.images.subarray(s * n, (s + 1) * n), k * n);
    y.set(data.labels.subarray(s * n, (s + 1) * n), k * n);
  }
  opt.lr = RECIPE.lr * (1 - it / iterations) ** RECIPE.poly;
  let loss = 0;
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const logits = model.apply(tf.tensor(x, [RECIPE.batch, H, W, 1]), { training: true });
      const l = tfSupervisedLoss(logits, tf.tensor(y, [RECIPE.batch, H, W], "int32"));
      loss = l.value.dataSync()[0];
      return l.value;
    }, vars);
    opt.step(vars.map((v) => grads[v.name]));
  });
  if (it % 100 === 0 || it === iterations - 1) {
    console.error(`${it} loss ${loss.toFixed(4)} ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
const { arch, weights } = exportInputFromModel(model);
const tensors: Record<string, StoredTensor> = {};
for (const [name, { shape }] of torchParamShapes(arch)) tensors[name] = { data: weights[name], shape };
const metadata = {
  arch: JSON.stringify(arch),
  recipe: JSON.stringify({ ...RECIPE, iterations, backend: backend.name }),
};
const chunks = encodeSafetensors({ tensors, metadata });
writeFileSync(args.out, Buffer.concat(chunks.map((c) => Buffer.from(c))));
console.error(`wrote ${args.out}`);
