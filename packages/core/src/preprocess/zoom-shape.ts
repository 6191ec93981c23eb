import { ArgumentError } from "../errors/bcp-error.ts";
import { checkShape } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";

/**
 * Output shape of scipy.ndimage.zoom(x, factors): per axis round(in * factor) with Python's round
 * (half to even) on the float64 product, e.g. zoomShape([216, 2], [256 / 216, 1]) = [256, 2].
 */
export function zoomShape(shape: Shape, factors: readonly number[]): number[] {
  checkShape("zoomShape", "shape", shape);
  if (!Array.isArray(factors) || factors.length !== shape.length) {
    throw new ArgumentError("zoomShape", "factors", `must have one factor per axis (${shape.length})`);
  }
  return shape.map((n, i) => {
    const f = factors[i];
    if (typeof f !== "number" || !Number.isFinite(f) || f <= 0) {
      throw new ArgumentError("zoomShape", `factors[${i}]`, `must be a positive finite number, got ${String(f)}`);
    }
    const out = roundHalfEven(n * f);
    if (out < 1) throw new ArgumentError("zoomShape", `factors[${i}]`, `gives an empty axis (${n} * ${f})`);
    return out;
  });
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d === 0.5) return f % 2 === 0 ? f : f + 1;
  return d < 0.5 ? f : f + 1;
}
