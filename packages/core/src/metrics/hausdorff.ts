import type { Shape } from "../tensor/types.ts";
import { evaluatePair } from "./evaluate-binary.ts";
import type { MetricOptions } from "./types.ts";

/**
 * Hausdorff distance: the largest surface distance either way (medpy hd), in `spacing` units. Binary maps
 * (any typed arrays, non-zero = foreground), layout [H, W] or [X, Y, Z]; empty maps follow the convention.
 */
export function hausdorff(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: MetricOptions = {},
): number {
  return evaluatePair("hausdorff", pred, gt, shape, { ...options, metrics: ["hausdorff"] }).hausdorff;
}
