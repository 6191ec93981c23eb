import type { Shape } from "../tensor/types.ts";
import { evaluatePair } from "./evaluate-binary.ts";

const OFFICIAL = { emptyConvention: "official" } as const;

/**
 * LA `utils/test_3d_patch.py: calculate_metric_percase` with `test_all_case`'s empty-prediction short-cut:
 * (dice, jc, hd95, asd) in voxels (unit spacing), (0, 0, 0, 0) for an empty prediction; throws ERR_ARGUMENT
 * when only gt is empty (medpy raises). Binary maps (non-zero = foreground), layout [X, Y, Z].
 */
export function officialMetricsLa(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
): [dice: number, jc: number, hd95: number, asd: number] {
  const m = evaluatePair("officialMetricsLa", pred, gt, shape, {
    ...OFFICIAL,
    metrics: ["dice", "jaccard", "hd95", "asd"],
  });
  return [m.dice, m.jaccard, m.hd95, m.asd];
}

/**
 * ACDC `test_ACDC.py: calculate_metric_percase` (pred, gt binarised) with `test_single_volume`'s short-cut:
 * (dice, jc, hd95, asd), unit spacing on every axis including slices, zeros for an empty prediction.
 * Binary maps (non-zero = foreground), layout [S, H, W].
 */
export function officialMetricsAcdc(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
): [dice: number, jc: number, hd95: number, asd: number] {
  const m = evaluatePair("officialMetricsAcdc", pred, gt, shape, {
    ...OFFICIAL,
    metrics: ["dice", "jaccard", "hd95", "asd"],
  });
  return [m.dice, m.jaccard, m.hd95, m.asd];
}

/**
 * ACDC validation `utils/val_2d.py: calculate_metric_percase`: (dice, hd95), unit spacing, (0, 0) for an
 * empty prediction. Binary maps (non-zero = foreground), layout [S, H, W].
 */
export function officialMetricsVal2d(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
): [dice: number, hd95: number] {
  const m = evaluatePair("officialMetricsVal2d", pred, gt, shape, { ...OFFICIAL, metrics: ["dice", "hd95"] });
  return [m.dice, m.hd95];
}
