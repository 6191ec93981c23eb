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
  const out = allocLike(data, data.length);
  for (let i = 0; i < oh; i++) {
    const ri = axis === 0 ? oh - 1 - i : i;
    for (let j = 0; j < ow; j++) {
      const rj = axis === 1 ? ow - 1 - j : j;
      let si: number;
      let sj: number;
      if (kk === 0) [si, sj] = [ri, rj];
      else if (kk === 1) [si, sj] = [rj, w - 1 - ri];
      else if (kk === 2) [si, sj] = [h - 1 - ri, w - 1 - rj];
      else [si, sj] = [h - 1 - rj, ri];
      const src = (si * w + sj) * z;
      out.set(data.subarray(src, src + z), (i * ow + j) * z);
    }
  }
  const outShape = shape.length === 3 ? [oh, ow, z] : [oh, ow];
  return { data: out, shape: outShape };
}
