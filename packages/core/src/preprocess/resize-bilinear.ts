import { ArgumentError } from "../errors/bcp-error.ts";
import { checkFloat, checkShape } from "../tensor/check.ts";
import type { FloatArray, Shape } from "../tensor/types.ts";

/** Options of {@link resizeBilinear}. */
export interface ResizeBilinearOptions {
  /**
   * true: corner samples map to corner samples, c = o * (in - 1) / (out - 1).
   * false (default): pixel centres line up, c = (o + 0.5) * in / out - 0.5, clamped at 0
   * (PyTorch `align_corners=False`, tfjs `resizeBilinear` with halfPixelCenters).
   */
  readonly alignCorners?: boolean;
}

/**
 * Linear resize of a float image [H, W] (bilinear) or [X, Y, Z] / [S, H, W] (trilinear; an axis whose
 * size does not change is copied exactly, so [S, H, W] -> [S, H', W'] is a per-slice bilinear resize).
 * Returns Float32Array; interpolation runs in float64 one axis at a time (linear interpolation is separable).
 */
export function resizeBilinear(
  data: FloatArray,
  shape: Shape,
  outShape: Shape,
  options: ResizeBilinearOptions = {},
): Float32Array {
  const fn = "resizeBilinear";
  checkShape(fn, "shape", shape, [2, 3]);
  checkFloat(fn, "data", data, shape);
  checkShape(fn, "outShape", outShape, [shape.length]);
  const align = options.alignCorners ?? false;
  if (typeof align !== "boolean") {
    throw new ArgumentError(fn, "options.alignCorners", `must be a boolean, got ${String(align)}`);
  }
  let cur: Float64Array = Float64Array.from(data);
  const cs = [...shape];
  for (let axis = 0; axis < cs.length; axis++) {
    if (cs[axis] === outShape[axis]) continue;
    cur = resizeAxis(cur, cs, axis, outShape[axis], align);
    cs[axis] = outShape[axis];
  }
  return Float32Array.from(cur);
}

function resizeAxis(src: Float64Array, shape: number[], axis: number, out: number, align: boolean): Float64Array {
  const n = shape[axis];
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const w = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let c = align ? (out > 1 ? (o * (n - 1)) / (out - 1) : 0) : ((o + 0.5) * n) / out - 0.5;
    c = Math.min(Math.max(c, 0), n - 1);
    i0[o] = Math.floor(c);
    i1[o] = Math.min(i0[o] + 1, n - 1);
    w[o] = c - i0[o];
  }
  const dst = new Float64Array(outer * out * inner);
  for (let b = 0; b < outer; b++) {
    const sb = b * n * inner;
    const db = b * out * inner;
    for (let o = 0; o < out; o++) {
      const a0 = sb + i0[o] * inner;
      const a1 = sb + i1[o] * inner;
      const wo = w[o];
      const d = db + o * inner;
      for (let k = 0; k < inner; k++) dst[d + k] = src[a0 + k] + wo * (src[a1 + k] - src[a0 + k]);
    }
  }
  return dst;
}
