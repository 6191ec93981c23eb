import type { Shape } from "../tensor/types.ts";
import { edtScratch, squaredDistanceToFeatures } from "./edt-kernel.ts";
import { cropPair, type JointBox, jointBox } from "./joint-box.ts";
import { resolvePair } from "./resolve-options.ts";
import { surfaceOf } from "./surface.ts";

/** Both directed surface-distance sets of a pair of binary maps. */
export interface SurfaceDistances {
  /** For each surface voxel of pred (row-major order), the distance to the nearest surface voxel of gt. */
  readonly predToGt: Float64Array;
  /** For each surface voxel of gt, the distance to the nearest surface voxel of pred. */
  readonly gtToPred: Float64Array;
}

/**
 * Directed surface distances, medpy `__surface_distances` both ways: distance_transform_edt(~surface(B),
 * sampling = spacing)[surface(A)]. Binary maps (any typed array, non-zero = foreground), layout [H, W] or
 * [X, Y, Z]; Float64Arrays out. With one map empty its own set is empty and the other set is all Infinity
 * (medpy raises there).
 */
export function surfaceDistances(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: { readonly spacing?: readonly number[] } = {},
): SurfaceDistances {
  const { spacing } = resolvePair("surfaceDistances", pred, gt, shape, options);
  return distancesInBox(pred, gt, shape, jointBox(pred, gt, shape), spacing, true);
}

const NONE = new Float64Array(0);

/**
 * Unchecked kernel of {@link surfaceDistances}: the EDTs run on the joint box only. Without `both`, only
 * pred -> gt is computed (one EDT, enough for asd) and `gtToPred` is left empty.
 */
export function distancesInBox(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  box: JointBox,
  spacing: readonly number[],
  both: boolean,
): SurfaceDistances {
  if (box.lo === null || box.shape === null) return { predToGt: NONE, gtToPred: NONE };
  const crop = cropPair(pred, gt, shape, box.lo, box.shape);
  const n = crop.pred.length;
  const sp = surfaceOf(crop.pred, crop.shape, new Uint8Array(n));
  const sg = surfaceOf(crop.gt, crop.shape, new Uint8Array(n));
  const d2 = new Float64Array(n);
  const scratch = edtScratch(Math.max(...crop.shape));
  const predToGt = gather(squaredDistanceToFeatures(sg, crop.shape, spacing, d2, scratch), sp);
  const gtToPred = both ? gather(squaredDistanceToFeatures(sp, crop.shape, spacing, d2, scratch), sg) : NONE;
  return { predToGt, gtToPred };
}

/** sqrt(d2[i]) at the voxels where `at[i]` is set, in row-major order. */
function gather(d2: Float64Array, at: Uint8Array): Float64Array {
  let count = 0;
  for (let i = 0; i < at.length; i++) count += at[i];
  const out = new Float64Array(count);
  for (let i = 0, j = 0; j < count; i++) if (at[i] !== 0) out[j++] = Math.sqrt(d2[i]);
  return out;
}
