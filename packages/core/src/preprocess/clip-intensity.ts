import { ArgumentError } from "../errors/bcp-error.ts";
import { checkFloat, checkShape } from "../tensor/check.ts";
import type { FloatArray, Shape } from "../tensor/types.ts";

/** Clamps every value of a float image (any layout) to [min, max] → Float32Array. */
export function clipIntensity(data: FloatArray, shape: Shape, min: number, max: number): Float32Array {
  checkShape("clipIntensity", "shape", shape);
  checkFloat("clipIntensity", "data", data, shape);
  if (typeof min !== "number" || typeof max !== "number" || Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new ArgumentError("clipIntensity", "min", `must be a number <= max, got [${min}, ${max}]`);
  }
  return Float32Array.from(data, (v) => Math.min(Math.max(v, min), max));
}
