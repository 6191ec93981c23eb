import { checkFloat, checkShape } from "../tensor/check.ts";
import type { FloatArray, Shape } from "../tensor/types.ts";

/**
 * Min-max normalisation of a float image of any layout ([H, W], [S, H, W], [X, Y, Z]) to [0, 1]:
 * (x - min) / (max - min) over all values (ACDC: per 3D frame). A constant image gives zeros. → Float32Array.
 */
export function normalizeMinMax(data: FloatArray, shape: Shape): Float32Array {
  checkShape("normalizeMinMax", "shape", shape);
  checkFloat("normalizeMinMax", "data", data, shape);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Float32Array(data.length);
  const range = max - min;
  if (!(range > 0)) return out;
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - min) / range;
  return out;
}
