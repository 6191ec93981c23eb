import type { Shape } from "../tensor/types.ts";
import { evaluatePair } from "./evaluate-binary.ts";
import type { MetricOptions } from "./types.ts";

/**
 * Average surface distance from pred to gt only — one-directional, as medpy asd(pred, gt) and the official
 * evaluation. Binary maps (any typed arrays, non-zero = foreground), layout [H, W] or [X, Y, Z]; needs one EDT.
 */
export function asd(pred: ArrayLike<number>, gt: ArrayLike<number>, shape: Shape, options: MetricOptions = {}): number {
  return evaluatePair("asd", pred, gt, shape, { ...options, metrics: ["asd"] }).asd;
}
