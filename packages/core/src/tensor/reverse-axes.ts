import { checkData, checkShape } from "./check.ts";
import type { NumArray, Shape } from "./types.ts";

/**
 * Reverses the axis order of a row-major array: [X, Y, Z] → [Z, Y, X], [H, W] → [W, H]. Returns a fresh array
 * of the same kind. NIfTI volumes decode as [X, Y, Z]; 2D models see them as [Z, Y, X] slice stacks.
 */
export function reverseAxes<T extends NumArray>(data: T, shape: Shape): { data: T; shape: number[] } {
  checkShape("reverseAxes", "shape", shape);
  checkData("reverseAxes", "data", data, shape);
  const rank = shape.length;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const outShape = [...shape].reverse();
  // Output axis a walks input axis rank-1-a, whose row-major stride is the product of the dims after it.
  const step = new Array<number>(rank);
  let s = 1;
  for (let a = rank - 1; a >= 0; a--) {
    step[rank - 1 - a] = s;
    s *= shape[a];
  }
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    for (let a = rank - 1; a >= 0; a--) {
      src += step[a];
      if (++idx[a] < outShape[a]) break;
      src -= step[a] * outShape[a];
      idx[a] = 0;
    }
  }
  return { data: out, shape: outShape };
}
