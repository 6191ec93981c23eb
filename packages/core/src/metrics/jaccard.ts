import type { Shape } from "../tensor/types.ts";
import { evaluatePair } from "./evaluate-binary.ts";
import type { MetricOptions } from "./types.ts";

/**
 * Jaccard index |A∩B| / |A∪B| (medpy jc). Binary maps (any typed arrays, non-zero = foreground), layout
 * [H, W] or [X, Y, Z]; empty maps follow `options.emptyConvention`.
 */
export function jaccard(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: MetricOptions = {},
): number {
  return evaluatePair("jaccard", pred, gt, shape, { ...options, metrics: ["jaccard"] }).jaccard;
}
