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

/** Unchecked kernel of {@link surface}, row by row: writes the surface of `binary` into `out`. */
export function surfaceOf(binary: ArrayLike<number>, shape: Shape, out: Uint8Array): Uint8Array {
  const rank = shape.length;
  const n = shape[rank - 1];
  const outer = rank - 1;
  const strides = new Array<number>(outer);
  for (let a = outer - 1, s = n; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  const coord = new Array<number>(outer).fill(0);
  for (let base = 0; base < out.length; base += n) {
    // A row on the border of an outer axis: every foreground voxel in it is surface.
    let edge = false;
    for (let a = 0; a < outer; a++) if (coord[a] === 0 || coord[a] === shape[a] - 1) edge = true;
    for (let i = 0; i < n; i++) {
      const at = base + i;
      let s = 0;
      if (binary[at] !== 0) {
        if (edge || i === 0 || i === n - 1 || binary[at - 1] === 0 || binary[at + 1] === 0) s = 1;
        else {
          for (let a = 0; a < outer; a++) {
            if (binary[at - strides[a]] === 0 || binary[at + strides[a]] === 0) {
              s = 1;
              break;
            }
          }
        }
      }
      out[at] = s;
    }
    for (let a = outer - 1; a >= 0 && ++coord[a] === shape[a]; a--) coord[a] = 0;
  }
  return out;
}
