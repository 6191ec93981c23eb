import { ArgumentError } from "../errors/bcp-error.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { gather } from "./nd.ts";

/** Options of {@link zoomNearest}. */
export interface ZoomNearestOptions {
  /**
   * Reproduce scipy.ndimage.zoom(order=0)'s edge quirk: where float64 round-off puts the last source
   * coordinate just past `in - 1`, the last row/column becomes 0 (cval). Default false: clamp to the edge.
   */
  readonly scipyEdgeQuirk?: boolean;
}

/**
 * Nearest-neighbour resize of any-rank data ([H, W], [S, H, W], [X, Y, Z]...) to `outShape`, with the exact
 * sampling grid of scipy.ndimage.zoom(order=0); returns the same typed-array kind as `data`.
 *
 * Per axis (scipy, grid_mode=False): step = (in - 1) / (out - 1) in float64 (1 when out = 1), source
 * coordinate c = o * step, value = data[floor(c + 0.5)]. scipy's constant mode returns cval 0 when
 * c > in - 1, which round-off triggers for o = out - 1 at some sizes (256 -> 216, ...); by default the
 * index is clamped instead, which is what the formula means mathematically (c = in - 1 exactly).
 */
export function zoomNearest<T extends NumArray>(
  data: T,
  shape: Shape,
  outShape: Shape,
  options: ZoomNearestOptions = {},
): T {
  const fn = "zoomNearest";
  checkShape(fn, "shape", shape);
  checkData(fn, "data", data, shape);
  checkShape(fn, "outShape", outShape, [shape.length]);
  const quirk = options.scipyEdgeQuirk ?? false;
  if (typeof quirk !== "boolean") {
    throw new ArgumentError(fn, "options.scipyEdgeQuirk", `must be a boolean, got ${String(quirk)}`);
  }
  const maps = shape.map((n, axis) => nearestMap(n, outShape[axis], quirk));
  return gather(data, shape, maps);
}

/** Source index per output index along one axis (-1 = outside, cval). */
function nearestMap(n: number, out: number, quirk: boolean): Int32Array {
  const map = new Int32Array(out);
  const step = out > 1 ? (n - 1) / (out - 1) : 1;
  for (let o = 0; o < out; o++) {
    const c = o * step;
    if (c > n - 1) map[o] = quirk ? -1 : n - 1;
    else map[o] = Math.min(Math.floor(c + 0.5), n - 1);
  }
  return map;
}
