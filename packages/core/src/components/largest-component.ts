import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { type ConnectivityOptions, type Neighbourhood, neighbourhood } from "./connectivity.ts";
import { labelKernel, paintRuns } from "./label-kernel.ts";

/**
 * Keeps the largest connected component of the non-zero voxels of a `[H, W]` map or `[X, Y, Z]` volume →
 * Uint8Array 0/1 in the same layout. Equal sizes: the component whose first voxel comes first in row-major
 * order wins (skimage `argmax(bincount(labels)[1:]) + 1`). An empty input gives an all-zero output.
 */
export function largestComponent(binary: NumArray, shape: Shape, options: ConnectivityOptions = {}): Uint8Array {
  const fn = "largestComponent";
  checkShape(fn, "shape", shape, [2, 3]);
  checkData(fn, "binary", binary, shape);
  const hood = neighbourhood(fn, shape.length, options.connectivity);
  const [d0, d1, d2] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const out = new Uint8Array(binary.length);
  writeLargest(binary, d0, d1, d2, hood, out, 0);
  return out;
}

/** Writes 1 into `out[offset + i]` for every voxel i of the largest component (internal; shared with batches). */
export function writeLargest(
  data: NumArray,
  d0: number,
  d1: number,
  d2: number,
  hood: Neighbourhood,
  out: Uint8Array | Int32Array,
  offset: number,
): void {
  const runs = labelKernel(data, d0, d1, d2, hood, false);
  const { count, sizes } = runs;
  if (count === 0) return;
  let best = 1;
  for (let k = 2; k <= count; k++) if (sizes[k] > sizes[best]) best = k;
  const value = new Uint8Array(count + 1);
  value[best] = 1;
  paintRuns(runs, value, out, offset);
}
