import { evaluateVolume, type MetricName } from "@bcpseg/core";
import type { ClassMetrics } from "./types.ts";

const NAN_DISTANCES = { hd95: Number.NaN, asd: Number.NaN };

/**
 * Per-class metrics of one case with the official convention (an empty prediction scores 0 on every metric).
 * Where only the ground truth is empty — medpy raises, the official scripts never meet it — Dice and Jaccard
 * are 0 and the distances NaN. `distances: false` skips HD95/ASD (NaN), as training-time validation may; `spacing` gives
 * them in mm (default voxels).
 */
export function scoreCase(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: readonly number[],
  classes: number,
  distances = true,
  spacing?: readonly number[],
): ClassMetrics[] {
  const metrics: MetricName[] = distances ? ["dice", "jaccard", "hd95", "asd"] : ["dice", "jaccard"];
  const out: ClassMetrics[] = [];
  for (let c = 1; c < classes; c++) {
    let gtEmpty = true;
    let predEmpty = true;
    for (let i = 0; i < gt.length && (gtEmpty || predEmpty); i++) {
      if (gt[i] === c) gtEmpty = false;
      if (pred[i] === c) predEmpty = false;
    }
    if (gtEmpty && !predEmpty) {
      out.push({ class: c, dice: 0, jaccard: 0, ...NAN_DISTANCES });
      continue;
    }
    const m = evaluateVolume(pred, gt, [...shape], {
      classes: [c],
      metrics,
      emptyConvention: "official",
      ...(spacing ? { spacing: [...spacing] } : {}),
    }).perClass[0];
    out.push({
      class: c,
      dice: m.dice,
      jaccard: m.jaccard,
      hd95: distances ? (m as { hd95: number }).hd95 : Number.NaN,
      asd: distances ? (m as { asd: number }).asd : Number.NaN,
    });
  }
  return out;
}
