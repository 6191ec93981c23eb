import type { Shape } from "../tensor/types.ts";
import { evaluatePair } from "./evaluate-binary.ts";
import type { MetricOptions } from "./types.ts";

/**
 * Dice coefficient 2|A∩B| / (|A| + |B|) (medpy dc). Binary maps (any typed arrays, non-zero = foreground),
 * layout [H, W] or [X, Y, Z]; empty maps follow `options.emptyConvention`.
 */
export function dice(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: MetricOptions = {},
): number {
  return evaluatePair("dice", pred, gt, shape, { ...options, metrics: ["dice"] }).dice;
}
