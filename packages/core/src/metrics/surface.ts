import { checkData, checkShape, sizeOf } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";

/**
 * Surface voxels of a binary map, medpy style: X XOR erosion(X, cross structuring element, border_value 0),
 * i.e. foreground voxels with a background face neighbour or on the array border. Any typed array in
 * (non-zero = foreground), layout [H, W] or [X, Y, Z] (any rank); Uint8Array (0/1) out.
 */
export function surface(binary: ArrayLike<number>, shape: Shape): Uint8Array {
  checkShape("surface", "shape", shape);
  checkData("surface", "binary", binary, shape);
  return surfaceOf(binary, shape, new Uint8Array(sizeOf(shape)));
}

/** Unchecked kernel of {@link surface}: writes the surface of `binary` into `out` and returns it. */
export function surfaceOf(binary: ArrayLike<number>, shape: Shape, out: Uint8Array): Uint8Array {
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let stride = 1;
  for (let a = rank - 1; a >= 0; a--) {
    strides[a] = stride;
    stride *= shape[a];
  }
  const coord = new Array<number>(rank).fill(0);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (binary[i] !== 0) {
      for (let a = 0; a < rank; a++) {
        const c = coord[a];
        const st = strides[a];
        if (c === 0 || c === shape[a] - 1 || binary[i - st] === 0 || binary[i + st] === 0) {
          s = 1;
          break;
        }
      }
    }
    out[i] = s;
    // Advance the row-major coordinate.
    for (let a = rank - 1; a >= 0 && ++coord[a] === shape[a]; a--) coord[a] = 0;
  }
  return out;
}
