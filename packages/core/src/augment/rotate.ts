import { ArgumentError, DtypeError } from "../errors/bcp-error.ts";
import { allocLike } from "../preprocess/nd.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";

/** Options of {@link rotate}. */
export interface RotateOptions {
  /** 0 = nearest (official, images and labels), 1 = bilinear (float data only). Default 0. */
  readonly order?: 0 | 1;
}

/**
 * scipy.ndimage.rotate(x, angleDeg, order, reshape=False, mode="constant", cval=0) on [H, W] or [X, Y, Z]
 * (rotation in the first two axes, the same for every slice of the last); same shape and typed-array kind.
 *
 * scipy: R = [[cos a, sin a], [-sin a, cos a]], ctr = ((H-1)/2, (W-1)/2), offset = ctr - R·ctr;
 * output (i, j) samples input at (offset0 + i·R00 + j·R01, offset1 + i·R10 + j·R11), summed in that order
 * as scipy's C loop does (so .5 ties and the edge test fall the same way); a coordinate outside [0, n-1]
 * (unrounded) gives 0; order 0 takes x[floor(c + 0.5)], order 1 interpolates the four neighbours.
 */
export function rotate<T extends NumArray>(data: T, shape: Shape, angleDeg: number, options: RotateOptions = {}): T {
  const fn = "rotate";
  checkShape(fn, "shape", shape, [2, 3]);
  checkData(fn, "data", data, shape);
  if (typeof angleDeg !== "number" || !Number.isFinite(angleDeg)) {
    throw new ArgumentError(fn, "angleDeg", `must be a finite number, got ${String(angleDeg)}`);
  }
  const order = options.order ?? 0;
  if (order !== 0 && order !== 1) throw new ArgumentError(fn, "options.order", `must be 0 or 1, got ${String(order)}`);
  if (order === 1 && !(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new DtypeError(fn, "data", "must be a Float32Array or Float64Array for order 1");
  }
  const [h, w] = shape;
  const z = shape.length === 3 ? shape[2] : 1;
  const a = (angleDeg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const c0 = (h - 1) / 2;
  const c1 = (w - 1) / 2;
  const off0 = c0 - (c * c0 + s * c1);
  const off1 = c1 - (-s * c0 + c * c1);
  const out = allocLike(data, data.length);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const y = off0 + i * c + j * s;
      const x = off1 + i * -s + j * c;
      if (!(y >= 0 && y <= h - 1 && x >= 0 && x <= w - 1)) continue;
      const dst = (i * w + j) * z;
      if (order === 0) {
        const src = (Math.floor(y + 0.5) * w + Math.floor(x + 0.5)) * z;
        for (let t = 0; t < z; t++) out[dst + t] = data[src + t];
      } else {
        const y0 = Math.floor(y);
        const x0 = Math.floor(x);
        const y1 = Math.min(y0 + 1, h - 1);
        const x1 = Math.min(x0 + 1, w - 1);
        const fy = y - y0;
        const fx = x - x0;
        for (let t = 0; t < z; t++) {
          const v00 = data[(y0 * w + x0) * z + t];
          const v01 = data[(y0 * w + x1) * z + t];
          const v10 = data[(y1 * w + x0) * z + t];
          const v11 = data[(y1 * w + x1) * z + t];
          out[dst + t] = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
        }
      }
    }
  }
  return out;
}
