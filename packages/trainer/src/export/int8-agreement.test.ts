import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { defaultContract2d, synthSlices2d } from "@bcpseg/core";
import { decodeSafetensors } from "../train/safetensors.ts";
import type { ArchSpec } from "./arch-spec.ts";
import { exportOnnx } from "./export-onnx.ts";
import { argmaxClasses, RUNTIMES, runOnce } from "./runtimes.test.ts";

// A U-Net (width 0.125) trained on phantom slices by bench/onnx/train-fixture.ts (recipe in the file's metadata).
// Calibration uses training phantoms; agreement is measured on phantoms of other patients (another seed).
const file = decodeSafetensors(await readFile(new URL("./fixtures/unet2d-synth64.safetensors", import.meta.url)));
const arch = JSON.parse(file.metadata.arch) as ArchSpec;
const recipe = JSON.parse(file.metadata.recipe) as { size: [number, number]; trainSlices: number; trainSeed: number };
const weights = Object.fromEntries(Object.entries(file.tensors).map(([k, t]) => [k, t.data as Float32Array]));
const [H, W] = recipe.size;
const n = H * W;
const V = 16;
const train = synthSlices2d({ count: recipe.trainSlices, size: recipe.size, seed: recipe.trainSeed });
const calibration = Array.from({ length: 16 }, (_, i) => {
  const s = Math.floor(((i + 0.5) * recipe.trainSlices) / 16);
  return train.images.slice(s * n, (s + 1) * n);
});
const val = synthSlices2d({ count: V, size: recipe.size, seed: 99 });
const contract = defaultContract2d({ size: recipe.size });

describe("int8 export of a trained U-Net agrees with fp32 (phantom validation slices)", () => {
  it("int8-weights and int8-static (min-max, percentile) match the fp32 argmax on >= 99% of pixels in both runtimes", async () => {
    const fp32 = await exportOnnx(arch, weights, { contract });
    const shape = [V, 1, H, W];
    const ref = argmaxClasses(
      (await runOnce(RUNTIMES[0][1], fp32, val.images, shape)).probs.data as Float32Array,
      V,
      4,
    );
    let correct = 0;
    for (let i = 0; i < ref.length; i++) if (ref[i] === val.labels[i]) correct++;
    assert.ok(correct / ref.length >= 0.95, `the fixture is trained: fp32 pixel accuracy ${correct / ref.length}`);
    const variants = [
      ["int8-weights", "minmax"],
      ["int8-static", "minmax"],
      ["int8-static", "percentile"],
    ] as const;
    for (const [precision, method] of variants) {
      const bytes = await exportOnnx(arch, weights, {
        contract,
        precision,
        calibration: { images: calibration, method },
      });
      for (const [name, ort] of RUNTIMES) {
        const got = argmaxClasses((await runOnce(ort, bytes, val.images, shape)).probs.data as Float32Array, V, 4);
        let agree = 0;
        for (let i = 0; i < got.length; i++) if (got[i] === ref[i]) agree++;
        const rate = agree / got.length;
        assert.ok(rate >= 0.99, `${precision}/${method} on ${name}: ${(100 * rate).toFixed(3)}% agreement`);
      }
    }
  });
});
