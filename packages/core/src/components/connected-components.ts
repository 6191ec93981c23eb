import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { type ConnectivityOptions, neighbourhood } from "./connectivity.ts";
import { labelKernel, paintRuns } from "./label-kernel.ts";

/** Components of a binary map: labels 1..count numbered by first voxel in row-major order, 0 = background. */
export interface Components {
  /** Int32Array in the input layout. */
  readonly labels: Int32Array;
  readonly count: number;
  /** sizes[k]: voxels of component k (length count + 1); sizes[0]: background voxels. */
  readonly sizes: Int32Array;
}

/**
 * Connected components of the non-zero voxels of a `[H, W]` map or `[X, Y, Z]` volume (any numeric typed
 * array) → Int32Array labels in the same layout, numbered as scipy.ndimage.label / skimage.measure.label.
 */
export function connectedComponents(labels: NumArray, shape: Shape, options: ConnectivityOptions = {}): Components {
  const fn = "connectedComponents";
  checkShape(fn, "shape", shape, [2, 3]);
  checkData(fn, "labels", labels, shape);
  const hood = neighbourhood(fn, shape.length, options.connectivity);
  const [d0, d1, d2] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const runs = labelKernel(labels, d0, d1, d2, hood, false);
  const identity = new Int32Array(runs.count + 1);
  for (let k = 0; k <= runs.count; k++) identity[k] = k;
  const out = new Int32Array(labels.length);
  paintRuns(runs, identity, out, 0);
  return { labels: out, count: runs.count, sizes: runs.sizes };
}
