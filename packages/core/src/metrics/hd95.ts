import type { Shape } from "../tensor/types.ts";
import { evaluatePair } from "./evaluate-binary.ts";
import type { MetricOptions } from "./types.ts";

/**
 * 95th percentile (numpy linear interpolation) of both directed surface-distance sets together (medpy hd95).
 * Binary maps (any typed arrays, non-zero = foreground), layout [H, W] or [X, Y, Z]; empty maps follow the
 * convention (strict: NaN with one side empty, 0 with both).
 */
export function hd95(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: MetricOptions = {},
): number {
  return evaluatePair("hd95", pred, gt, shape, { ...options, metrics: ["hd95"] }).hd95;
}
