import { ArgumentError } from "../errors/bcp-error.ts";
import type { Shape } from "../tensor/types.ts";
import { maxOf, percentileLinear, sumOf } from "./distance-stats.ts";
import { type JointBox, jointBox } from "./joint-box.ts";
import { resolvePair } from "./resolve-options.ts";
import { distancesInBox, type SurfaceDistances } from "./surface-distances.ts";
import { type EmptyConvention, METRIC_NAMES, type MetricName, type MetricOptions, type MetricValues } from "./types.ts";

/** Options of {@link evaluateBinary}: spacing, empty convention, and which metrics (default all). */
export interface EvaluateOptions<M extends MetricName = MetricName> extends MetricOptions {
  readonly metrics?: readonly M[];
}

/**
 * Several metrics of one binary pair (any typed arrays, non-zero = foreground), layout [H, W] or [X, Y, Z]:
 * the surface-distance sets are computed once, and only when a distance metric is asked for.
 */
export function evaluateBinary<M extends MetricName = MetricName>(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: EvaluateOptions<M> = {},
): MetricValues<M> {
  return evaluatePair("evaluateBinary", pred, gt, shape, options);
}

/** {@link evaluateBinary} with the calling function's name for error messages. */
export function evaluatePair<M extends MetricName>(
  fn: string,
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: EvaluateOptions<M>,
): MetricValues<M> {
  const { spacing, emptyConvention } = resolvePair(fn, pred, gt, shape, options);
  const metrics = resolveMetrics(fn, options.metrics);
  const box = jointBox(pred, gt, shape);
  const needsDistances = metrics.some((m) => m !== "dice" && m !== "jaccard");
  const ready = needsDistances && box.predCount > 0 && box.gtCount > 0;
  const bothWays = metrics.some((m) => m === "hausdorff" || m === "hd95" || m === "assd");
  const distances = ready ? distancesInBox(pred, gt, shape, box, spacing, bothWays) : null;
  const out = {} as MetricValues<M>;
  for (const m of metrics) out[m] = scoreMetric(fn, m, box, distances, emptyConvention);
  return out;
}

function resolveMetrics<M extends MetricName>(fn: string, metrics: readonly M[] | undefined): readonly M[] {
  if (metrics === undefined) return METRIC_NAMES as readonly M[];
  if (!Array.isArray(metrics) || metrics.some((m) => !METRIC_NAMES.includes(m))) {
    throw new ArgumentError(fn, "options.metrics", `must list names among ${METRIC_NAMES.join(", ")}`);
  }
  return metrics;
}

/** One metric from the counts and (for non-empty pairs) the distance sets, applying the empty convention. */
function scoreMetric(
  fn: string,
  metric: MetricName,
  box: JointBox,
  distances: SurfaceDistances | null,
  convention: EmptyConvention,
): number {
  const { predCount: p, gtCount: g, both } = box;
  const overlap = metric === "dice" || metric === "jaccard";
  if (p === 0 || g === 0) {
    if (convention === "official") {
      if (p === 0 || overlap) return 0;
      throw new ArgumentError(fn, "gt", `is empty while pred is not (medpy raises for ${metric})`);
    }
    if (p === 0 && g === 0) return overlap ? 1 : 0;
    return overlap ? 0 : Number.NaN;
  }
  if (metric === "dice") return (2 * both) / (p + g);
  if (metric === "jaccard") return both / (p + g - both);
  const { predToGt, gtToPred } = distances!;
  switch (metric) {
    case "hausdorff":
      return Math.max(maxOf(predToGt), maxOf(gtToPred));
    case "hd95": {
      const all = new Float64Array(predToGt.length + gtToPred.length);
      all.set(predToGt);
      all.set(gtToPred, predToGt.length);
      return percentileLinear(all, 95);
    }
    case "asd":
      return sumOf(predToGt) / predToGt.length;
    default:
      return (sumOf(predToGt) + sumOf(gtToPred)) / (predToGt.length + gtToPred.length);
  }
}
