import { ArgumentError } from "../errors/bcp-error.ts";
import { allocLike } from "../preprocess/nd.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";

/** An array with its (possibly changed) shape. */
export interface Shaped<T extends NumArray> {
  readonly data: T;
  readonly shape: number[];
}

/**
 * np.flip(np.rot90(x, k), axis) on [H, W] or [X, Y, Z] (rotation in the first two axes, counter-clockwise,
 * the last axis carried along); same typed-array kind. k any integer (taken mod 4), axis 0 or 1.
 * np.rot90 k=1 is out[i, j] = x[j, W-1-i]; k=2 out[i, j] = x[H-1-i, W-1-j]; k=3 out[i, j] = x[H-1-j, i].
 */
export function rot90Flip<T extends NumArray>(
  data: T,
  shape: Shape,
  options: { readonly k: number; readonly axis?: 0 | 1 | null },
): Shaped<T> {
  const fn = "rot90Flip";
  checkShape(fn, "shape", shape, [2, 3]);
  checkData(fn, "data", data, shape);
  const { k, axis = null } = options;
  if (!Number.isInteger(k)) throw new ArgumentError(fn, "options.k", `must be an integer, got ${String(k)}`);
  if (axis !== null && axis !== 0 && axis !== 1) {
    throw new ArgumentError(fn, "options.axis", `must be 0, 1 or null, got ${String(axis)}`);
  }
  const kk = ((k % 4) + 4) % 4;
  const [h, w] = shape;
  const z = shape.length === 3 ? shape[2] : 1;
  const oh = kk % 2 === 0 ? h : w;
  const ow = kk % 2 === 0 ? w : h;
  // The source of out[i, j] is affine in (i, j): fold rotation and flip into an offset and two strides.
  const source = (i: number, j: number): number => {
    const ri = axis === 0 ? oh - 1 - i : i;
    const rj = axis === 1 ? ow - 1 - j : j;
    if (kk === 0) return (ri * w + rj) * z;
    if (kk === 1) return (rj * w + (w - 1 - ri)) * z;
    if (kk === 2) return ((h - 1 - ri) * w + (w - 1 - rj)) * z;
    return ((h - 1 - rj) * w + ri) * z;
  };
  const origin = source(0, 0);
  const di = source(1, 0) - origin;
  const dj = source(0, 1) - origin;
  const out = allocLike(data, data.length);
  let o = 0;
  for (let i = 0; i < oh; i++) {
    let src = origin + i * di;
    if (z === 1) {
      for (let j = 0; j < ow; j++, src += dj) out[o++] = data[src];
    } else {
      for (let j = 0; j < ow; j++, src += dj, o += z) out.set(data.subarray(src, src + z), o);
    }
  }
  const outShape = shape.length === 3 ? [oh, ow, z] : [oh, ow];
  return { data: out, shape: outShape };
}
