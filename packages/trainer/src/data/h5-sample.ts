import { DataError } from "./data-error.ts";
import { readH5 } from "./h5-node.ts";
import type { Sample } from "./sample.ts";
import { checkPairShape, toImage, toLabels } from "./to-arrays.ts";

/** Reads `image` and `label` datasets of one HDF5 file as a Sample, checking ranks, shapes and labels. */
export async function readH5Sample(
  path: string,
  meta: { id: string; patient: string; rank: number; classes: number | undefined; withLabel: boolean },
): Promise<Sample> {
  const names = meta.withLabel ? ["image", "label"] : ["image"];
  const arrays = await readH5(path, names);
  const image = arrays.image;
  if (image.shape.length !== meta.rank) {
    throw new DataError("ERR_DATA_SHAPE_MISMATCH", `image has rank ${image.shape.length}, expected ${meta.rank}`, {
      file: path,
    });
  }
  let label: Uint8Array | undefined;
  if (meta.withLabel) {
    checkPairShape(image.shape, arrays.label.shape, path);
    label = toLabels(arrays.label.data, path, meta.classes);
  }
  return { image: toImage(image.data), label, shape: image.shape, id: meta.id, patient: meta.patient };
}
