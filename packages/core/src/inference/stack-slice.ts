import type { NumArray } from "../tensor/types.ts";

/**
 * Copies slice `k` of a 2D model's stack into `out` ([H, W], row-major): a stack [S, H, W] is read contiguously,
 * a slices-last volume [W, H, S] (NIfTI [X, Y, Z], slice z = the [Y, X] image) with stride S.
 */
export function readStackSlice(
  stack: NumArray,
  shape: readonly number[],
  slicesLast: boolean,
  k: number,
  out: NumArray,
): void {
  if (!slicesLast) {
    const n = shape[1] * shape[2];
    for (let i = 0; i < n; i++) out[i] = stack[k * n + i];
    return;
  }
  const [w, h, s] = shape;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = stack[(x * h + y) * s + k];
}

/** Writes slice `k` ([H, W], row-major) into a stack laid out as in {@link readStackSlice}. */
export function writeStackSlice<T extends NumArray>(
  stack: T,
  shape: readonly number[],
  slicesLast: boolean,
  k: number,
  slice: ArrayLike<number>,
): void {
  if (!slicesLast) {
    const n = shape[1] * shape[2];
    for (let i = 0; i < n; i++) stack[k * n + i] = slice[i];
    return;
  }
  const [w, h, s] = shape;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) stack[(x * h + y) * s + k] = slice[y * w + x];
}
