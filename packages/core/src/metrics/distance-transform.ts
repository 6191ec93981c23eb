import { ArgumentError } from "../errors/bcp-error.ts";
import { checkData, checkShape, sizeOf } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";
import { squaredDistanceToFeatures } from "./edt-kernel.ts";
import { resolveSpacing } from "./resolve-options.ts";

const FN = "distanceTransform";

/** Options of {@link distanceTransform}. */
export interface DistanceTransformOptions {
  /** Voxel size per axis (scipy `sampling`); default 1 on every axis. */
  readonly spacing?: readonly number[];
}

/**
 * Exact Euclidean distance of every voxel to the nearest zero voxel, scipy.ndimage.distance_transform_edt
 * semantics (zero voxels get 0). Any typed array in, layout [H, W] or [X, Y, Z] (any rank, row-major);
 * Float64Array out. With no zero voxel at all every distance is Infinity (scipy returns unspecified values).
 */
export function distanceTransform(
  binary: ArrayLike<number>,
  shape: Shape,
  options: DistanceTransformOptions = {},
): Float64Array {
  checkShape(FN, "shape", shape);
  checkData(FN, "binary", binary, shape);
  if (options === null || typeof options !== "object") {
    throw new ArgumentError(FN, "options", `must be an object, got ${String(options)}`);
  }
  const spacing = resolveSpacing(FN, options.spacing, shape.length);
  const n = sizeOf(shape);
  const zeros = new Uint8Array(n);
  for (let i = 0; i < n; i++) zeros[i] = binary[i] === 0 ? 1 : 0;
  const out = squaredDistanceToFeatures(zeros, shape, spacing, new Float64Array(n));
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(out[i]);
  return out;
}
