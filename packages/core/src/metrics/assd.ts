import type { Shape } from "../tensor/types.ts";
import { evaluatePair } from "./evaluate-binary.ts";
import type { MetricOptions } from "./types.ts";

/**
 * Average symmetric surface distance: the mean of both directed sets together, i.e. the two asd directions
 * weighted by their surface voxel counts (as the reference vectors). Binary maps (any typed arrays,
 * non-zero = foreground), layout [H, W] or [X, Y, Z]; empty maps follow the convention.
 */
export function assd(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: MetricOptions = {},
): number {
  return evaluatePair("assd", pred, gt, shape, { ...options, metrics: ["assd"] }).assd;
}
