import { ArgumentError } from "../errors/bcp-error.ts";
import { checkShape } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";

/** Where the windows of a sliding-window pass go, as plain data (see {@link slidingWindowPlan}). */
export interface SlidingWindowPlan {
  /** The volume before padding ([X, Y, Z] or [H, W]). */
  readonly volumeShape: number[];
  readonly patch: number[];
  readonly stride: number[];
  /** Zeros added before / after each axis (left = pad // 2, pad = max(patch - size, 0)). */
  readonly padBefore: number[];
  readonly padAfter: number[];
  /** volumeShape + padBefore + padAfter. */
  readonly paddedShape: number[];
  /** Window starts per axis in padded coordinates; the windows are their Cartesian product. */
  readonly starts: number[][];
  /** Number of windows (product of the starts' lengths). */
  readonly count: number;
}

/**
 * Plans the official LA sliding window (test_3d_patch.test_single_case): pad any axis smaller than the
 * patch with zeros to the patch size (left = pad // 2, right = the rest); per axis
 * n = ceil((size - patch) / stride) + 1 windows starting at min(stride * i, size - patch), so the last
 * window is flush with the end. `stride` is one number or one per axis (LA: [18, 18, 4]), at most the
 * patch so that every voxel is covered.
 */
export function slidingWindowPlan(volumeShape: Shape, patch: Shape, stride: number | Shape): SlidingWindowPlan {
  const fn = "slidingWindowPlan";
  checkShape(fn, "volumeShape", volumeShape);
  checkShape(fn, "patch", patch, [volumeShape.length]);
  const st = typeof stride === "number" ? volumeShape.map(() => stride) : [...stride];
  checkShape(fn, "stride", st, [volumeShape.length]);
  if (st.some((s, i) => !Number.isInteger(s) || s < 1 || s > patch[i])) {
    throw new ArgumentError(fn, "stride", `must be integers in [1, patch] (no gaps), got ${JSON.stringify(stride)}`);
  }
  const padBefore: number[] = [];
  const padAfter: number[] = [];
  const paddedShape: number[] = [];
  const starts: number[][] = [];
  let count = 1;
  volumeShape.forEach((size, i) => {
    const pad = Math.max(patch[i] - size, 0);
    padBefore.push(Math.floor(pad / 2));
    padAfter.push(pad - Math.floor(pad / 2));
    const p = size + pad;
    paddedShape.push(p);
    const n = Math.ceil((p - patch[i]) / st[i]) + 1;
    const axis: number[] = [];
    for (let k = 0; k < n; k++) axis.push(Math.min(st[i] * k, p - patch[i]));
    starts.push(axis);
    count *= n;
  });
  return {
    volumeShape: [...volumeShape],
    patch: [...patch],
    stride: st,
    padBefore,
    padAfter,
    paddedShape,
    starts,
    count,
  };
}
