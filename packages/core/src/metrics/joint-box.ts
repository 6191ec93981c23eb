import type { Shape } from "../tensor/types.ts";

/** Foreground counts of two binary maps and the bounding box of their union. */
export interface JointBox {
  /** Foreground voxel counts of pred, gt and their intersection. */
  readonly predCount: number;
  readonly gtCount: number;
  readonly both: number;
  /** First voxel of the box per axis and the box's shape (null when both maps are empty). */
  readonly lo: number[] | null;
  readonly shape: number[] | null;
}

/** Two binary maps cut to their joint box (Uint8Array 0/1, row-major `shape`). */
export interface JointCrop {
  readonly pred: Uint8Array;
  readonly gt: Uint8Array;
  readonly shape: number[];
}

/** Counts the foreground of `pred`, `gt` (non-zero = foreground) and both, and boxes `pred | gt` (one pass). */
export function jointBox(pred: ArrayLike<number>, gt: ArrayLike<number>, shape: Shape): JointBox {
  const rank = shape.length;
  const n = shape[rank - 1];
  const rows = pred.length / n;
  const lo = shape.map((d) => d);
  const hi = new Array<number>(rank).fill(-1);
  const coord = new Array<number>(rank).fill(0);
  let predCount = 0;
  let gtCount = 0;
  let both = 0;
  for (let row = 0, base = 0; row < rows; row++, base += n) {
    let first = -1;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const p = pred[base + i] !== 0;
      const g = gt[base + i] !== 0;
      if (p || g) {
        if (first < 0) first = i;
        last = i;
        if (p) predCount++;
        if (g) gtCount++;
        if (p && g) both++;
      }
    }
    if (first >= 0) {
      for (let a = 0; a < rank - 1; a++) {
        if (coord[a] < lo[a]) lo[a] = coord[a];
        if (coord[a] > hi[a]) hi[a] = coord[a];
      }
      if (first < lo[rank - 1]) lo[rank - 1] = first;
      if (last > hi[rank - 1]) hi[rank - 1] = last;
    }
    for (let a = rank - 2; a >= 0 && ++coord[a] === shape[a]; a--) coord[a] = 0;
  }
  if (predCount + gtCount === 0) return { predCount, gtCount, both, lo: null, shape: null };
  return { predCount, gtCount, both, lo, shape: lo.map((l, a) => hi[a] - l + 1) };
}

/**
 * Cuts `pred` and `gt` to their joint box, binarised. Why no margin is needed: every voxel outside the box is
 * background, and the surface erosion treats voxels outside the array as background too (border_value 0), so
 * the surface of each map computed on the crop equals the original one; every surface voxel lies inside the
 * box, so the distance from a voxel in the box to the nearest surface voxel is the same whether the EDT runs
 * on the box or on the whole array.
 */
export function cropPair(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  lo: readonly number[],
  cropShape: number[],
): JointCrop {
  const rank = shape.length;
  const coord = new Array<number>(rank).fill(0);
  const m = cropShape[rank - 1];
  const cropRows = cropShape.reduce((s, d) => s * d, 1) / m;
  const strides = new Array<number>(rank);
  for (let a = rank - 1, s = 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  const pc = new Uint8Array(cropRows * m);
  const gc = new Uint8Array(cropRows * m);
  for (let row = 0, dst = 0; row < cropRows; row++, dst += m) {
    let src = lo[rank - 1];
    for (let a = 0; a < rank - 1; a++) src += (lo[a] + coord[a]) * strides[a];
    for (let i = 0; i < m; i++) {
      pc[dst + i] = pred[src + i] !== 0 ? 1 : 0;
      gc[dst + i] = gt[src + i] !== 0 ? 1 : 0;
    }
    for (let a = rank - 2; a >= 0 && ++coord[a] === cropShape[a]; a--) coord[a] = 0;
  }
  return { pred: pc, gt: gc, shape: cropShape };
}
