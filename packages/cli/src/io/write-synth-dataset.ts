import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeNifti, encodePng, synthSlices2d, synthVolumes3d } from "@bcpseg/core";

/** Options of {@link writeSynthDataset}. */
export interface SynthDatasetOptions {
  readonly kind: "2d" | "3d";
  /** 2D: patients of 10 slices each; 3D: volumes. */
  readonly patients: number;
  readonly size?: readonly number[];
  readonly seed?: number;
  /** Called after each file pair. */
  readonly onFile?: (done: number, total: number) => void;
}

/**
 * Writes core's phantom set in layouts the trainer's readers open: 2D as `images/<id>.png` (16-bit gray) and
 * `masks/<id>.png` (class per pixel), ids `patientNNN_sliceSS`; 3D as `imagesTr/<id>.nii.gz` and
 * `labelsTr/<id>.nii.gz` (Decathlon). Returns the ids and the layout.
 */
export async function writeSynthDataset(
  dir: string,
  options: SynthDatasetOptions,
): Promise<{ layout: "images-masks" | "decathlon"; ids: string[]; shape: number[] }> {
  const seed = options.seed ?? 0;
  if (options.kind === "2d") {
    const s = synthSlices2d({ patients: options.patients, size: options.size ?? [128, 128], seed });
    const [n, h, w] = s.shape;
    await mkdir(join(dir, "images"), { recursive: true });
    await mkdir(join(dir, "masks"), { recursive: true });
    const ids: string[] = [];
    const perPatient = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const p = s.patientIndex[i];
      const k = perPatient.get(String(p)) ?? 0;
      perPatient.set(String(p), k + 1);
      const id = `patient${String(p + 1).padStart(3, "0")}_slice${String(k).padStart(2, "0")}`;
      const img = new Uint16Array(h * w);
      for (let j = 0; j < h * w; j++) img[j] = Math.round(Math.min(1, Math.max(0, s.images[i * h * w + j])) * 65535);
      const mask = s.labels.slice(i * h * w, (i + 1) * h * w);
      await writeFile(
        join(dir, "images", `${id}.png`),
        encodePng({ data: img, width: w, height: h, channels: 1, bitDepth: 16 }),
      );
      await writeFile(
        join(dir, "masks", `${id}.png`),
        encodePng({ data: mask, width: w, height: h, channels: 1, bitDepth: 8 }),
      );
      ids.push(id);
      options.onFile?.(i + 1, n);
    }
    return { layout: "images-masks", ids, shape: [h, w] };
  }
  const v = synthVolumes3d({ count: options.patients, size: options.size ?? [64, 64, 48], seed });
  const [n, ...spatial] = v.shape;
  const voxels = spatial.reduce((a, b) => a * b, 1);
  await mkdir(join(dir, "imagesTr"), { recursive: true });
  await mkdir(join(dir, "labelsTr"), { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `case${String(i + 1).padStart(3, "0")}`;
    const image = v.images.slice(i * voxels, (i + 1) * voxels);
    const label = v.labels.slice(i * voxels, (i + 1) * voxels);
    await writeFile(
      join(dir, "imagesTr", `${id}.nii.gz`),
      encodeNifti({ data: image, shape: spatial, dtype: "float32", gzip: true }),
    );
    await writeFile(
      join(dir, "labelsTr", `${id}.nii.gz`),
      encodeNifti({ data: label, shape: spatial, dtype: "uint8", gzip: true }),
    );
    ids.push(id);
    options.onFile?.(i + 1, n);
  }
  return { layout: "decathlon", ids, shape: spatial };
}
