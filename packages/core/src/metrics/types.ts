/** Names of the binary segmentation metrics core computes (medpy.metric.binary semantics). */
export type MetricName = "dice" | "jaccard" | "hausdorff" | "hd95" | "asd" | "assd";

/** Every metric name, in report order. */
export const METRIC_NAMES: readonly MetricName[] = ["dice", "jaccard", "hausdorff", "hd95", "asd", "assd"];

/**
 * What a metric returns when a map is empty (medpy raises there).
 * - "strict" (default): dice/jaccard of two empty maps = 1, of one empty map = 0; distance metrics with one
 *   empty side = NaN, with both empty = 0.
 * - "official": the official BCP wrappers — an empty prediction gives 0 for every metric (HD95/ASD 0 is the
 *   best value, slightly favourable); a non-empty prediction against an empty ground truth gives dice/jaccard 0
 *   and the distance metrics throw ERR_ARGUMENT, as medpy raises there.
 */
export type EmptyConvention = "strict" | "official";

/** Options shared by the metric functions. */
export interface MetricOptions {
  /** Voxel size per axis (medpy `voxelspacing`); default 1 on every axis, as the official evaluation. */
  readonly spacing?: readonly number[];
  /** How empty maps are scored; default "strict". */
  readonly emptyConvention?: EmptyConvention;
}

/** Metric values keyed by name (float64 numbers). */
export type MetricValues<M extends MetricName = MetricName> = { [K in M]: number };
