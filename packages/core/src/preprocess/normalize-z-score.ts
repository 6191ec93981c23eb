import { ArgumentError } from "../errors/bcp-error.ts";
import { checkFloat, checkShape } from "../tensor/check.ts";
import type { FloatArray, Shape } from "../tensor/types.ts";
import { percentile } from "./percentile.ts";

/** Options of {@link normalizeZScore}. */
export interface NormalizeZScoreOptions {
  /** Clip to these percentiles (numpy linear method, 0..100) before computing mean and std, e.g. [0.5, 99.5]. */
  readonly clipPercentiles?: readonly [number, number];
}

/**
 * Z-score normalisation of a float image of any layout: (x - mean) / std over all values, population std
 * (numpy ddof=0, as the LA preprocessing). A constant image gives zeros. Sums in float64. → Float32Array.
 */
export function normalizeZScore(data: FloatArray, shape: Shape, options: NormalizeZScoreOptions = {}): Float32Array {
  const fn = "normalizeZScore";
  checkShape(fn, "shape", shape);
  checkFloat(fn, "data", data, shape);
  let x: FloatArray = data;
  const cp = options.clipPercentiles;
  if (cp !== undefined) {
    if (!Array.isArray(cp) || cp.length !== 2 || !(cp[0] >= 0 && cp[0] <= cp[1] && cp[1] <= 100)) {
      throw new ArgumentError(fn, "options.clipPercentiles", `must be [lo, hi] with 0 <= lo <= hi <= 100`);
    }
    const sorted = Float64Array.from(data).sort();
    const lo = percentile(sorted, cp[0]);
    const hi = percentile(sorted, cp[1]);
    x = Float64Array.from(data, (v) => Math.min(Math.max(v, lo), hi));
  }
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  const std = Math.sqrt(ss / x.length);
  const out = new Float32Array(x.length);
  if (!(std > 0)) return out;
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean) / std;
  return out;
}
