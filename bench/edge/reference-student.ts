// The reference student of bench/edge: the official-width (1) 2D U-Net, int8 static at 256x256, exported
// through the trainer's own exporter (createUNet2d → exportInputFromModel → exportOnnx) and calibrated on
// core's phantom slices. Random initial weights: inference time does not depend on the values. The file is
// cached under os.tmpdir() (the export takes a while on a small machine); the name carries the recipe.
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CORE_VERSION, defaultContract2d, synthSlices2d } from "@bcpseg/core";

const RECIPE = { width: 1, size: [256, 256] as [number, number], seed: 0, calibration: 8, calibrationSeed: 11 };

/** Path of the width-1 int8-static U-Net, exported now unless a cached copy exists. */
export async function referenceStudent(log: (line: string) => void = () => {}): Promise<string> {
  const r = RECIPE;
  const name = `bcpseg-bench-edge-unet2d-w${r.width}-${r.size.join("x")}-int8-static-s${r.seed}-c${r.calibration}-core${CORE_VERSION}.onnx`;
  const path = join(tmpdir(), name);
  if (existsSync(path)) return path;
  const t0 = performance.now();
  // The trainer (tfjs) loads only when the file has to be made.
  const tf = await import("@tensorflow/tfjs-core");
  await import("@tensorflow/tfjs-backend-cpu");
  await tf.setBackend("cpu");
  tf.enableProdMode(); // no tfjs "install our node backend" banner among the bench's tables
  const { createUNet2d, exportInputFromModel, exportOnnx } = await import("@bcpseg/trainer");
  const model = createUNet2d({ width: r.width, seed: r.seed });
  const { arch, weights } = exportInputFromModel(model);
  model.dispose();
  const n = r.size[0] * r.size[1];
  const synth = synthSlices2d({ count: r.calibration, size: r.size, seed: r.calibrationSeed });
  const images = Array.from({ length: r.calibration }, (_, i) => synth.images.slice(i * n, (i + 1) * n));
  const bytes = await exportOnnx(arch, weights, {
    contract: defaultContract2d({ name: "unet2d-256-w1", size: r.size }),
    precision: "int8-static",
    calibration: { images, method: "minmax" },
  });
  writeFileSync(`${path}.part`, bytes);
  renameSync(`${path}.part`, path); // atomic: a cut-off export leaves no half file under the cached name
  log(
    `bench/edge: exported the width-1 reference student in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${path}`,
  );
  return path;
}
