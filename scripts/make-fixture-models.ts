// Builds the small random-weight ONNX models the edge API tests and bench use, through the trainer's real
// exporter (fp32 and int8-static QDQ). Run: node --conditions=@bcpseg/source --import tsx scripts/make-fixture-models.ts
import "@tensorflow/tfjs-backend-cpu";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRng, defaultContract2d, defaultContract3d } from "@bcpseg/core";
import { type ArchSpec, createUNet2d, createVNet3d, exportOnnx, toTorchLayout } from "@bcpseg/trainer";

const OUT = join(import.meta.dirname, "../packages/edge-api/test/fixtures");
const MAX_BYTES = 300 * 1024;

/** PyTorch-layout weights of a freshly initialised trainer model (random, seeded). */
function torchWeights(model: {
  params: { entries(): [string, { dataSync(): ArrayLike<number>; shape: number[]; dtype: string }][] };
}) {
  const w: Record<string, Float32Array> = {};
  for (const [k, v] of model.params.entries()) {
    if (v.dtype !== "float32") continue;
    w[k] = toTorchLayout(Float32Array.from(v.dataSync()), v.shape).data;
  }
  return w;
}

/** Calibration images: smooth-ish z-scored noise, [1, ...spatial]. */
function calibration(spatial: number[], count: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  const n = spatial.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, () => Float32Array.from({ length: n }, () => rng.normal()));
}

async function write(
  name: string,
  arch: ArchSpec,
  weights: Record<string, Float32Array>,
  contract: unknown,
  spatial: number[],
  precisions: readonly ("fp32" | "int8-static")[] = ["fp32", "int8-static"],
) {
  for (const precision of precisions) {
    const bytes = await exportOnnx(arch, weights, {
      contract: contract as never,
      precision,
      // min-max, as the committed fixtures were made (the exporter's default became percentile later).
      ...(precision === "int8-static" ? { calibration: { images: calibration(spatial, 4, 7), method: "minmax" } } : {}),
    });
    const file = `${name}-${precision === "fp32" ? "fp32" : "int8"}.onnx`;
    if (bytes.length > MAX_BYTES) throw new Error(`${file} is ${bytes.length} bytes, over ${MAX_BYTES}`);
    writeFileSync(join(OUT, file), bytes);
    console.log(`${file}\t${bytes.length} bytes`);
  }
}

mkdirSync(OUT, { recursive: true });

// 2D: ACDC-style U-Net, width 0.125, 64x64, 4 classes.
{
  const arch: ArchSpec = { kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.125 };
  const model = createUNet2d({ width: arch.width, numClasses: 4, seed: 1 });
  await write(
    "unet2d-64",
    arch,
    torchWeights(model),
    defaultContract2d({ name: "unet2d-64", size: [64, 64] }),
    [64, 64],
  );
  model.dispose();
}
// 2D bench model: width 0.25, 256x256 (the official ACDC input size), int8 only.
{
  const arch: ArchSpec = { kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.25 };
  const model = createUNet2d({ width: arch.width, numClasses: 4, seed: 2 });
  await write(
    "unet2d-256",
    arch,
    torchWeights(model),
    defaultContract2d({ name: "unet2d-256", size: [256, 256] }),
    [256, 256],
    ["int8-static"],
  );
  model.dispose();
}
// 3D: LA-style V-Net, width 0.0625, 32^3 patch, stride 16, 2 classes.
{
  const arch: ArchSpec = { kind: "vnet3d", inChannels: 1, numClasses: 2, width: 0.0625 };
  const model = createVNet3d({ width: arch.width, numClasses: 2, seed: 3 });
  const contract = defaultContract3d({ name: "vnet3d-32", size: [32, 32, 32], stride: [16, 16, 16] });
  await write("vnet3d-32", arch, torchWeights(model), contract, [32, 32, 32]);
  model.dispose();
}
