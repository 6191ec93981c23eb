import { ArgumentError } from "../errors/bcp-error.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";
import { type EvaluateOptions, evaluatePair } from "./evaluate-binary.ts";
import { METRIC_NAMES, type MetricName, type MetricValues } from "./types.ts";

const FN = "evaluateVolume";

/** Options of {@link evaluateVolume}. */
export interface EvaluateVolumeOptions<M extends MetricName = MetricName> extends EvaluateOptions<M> {
  /** Class ids to score, or a class count n meaning 1..n−1 (background 0 excluded, the official `classes`). */
  readonly classes: number | readonly number[];
}

/** Per-class metrics of a label map pair and their mean over the classes. */
export interface VolumeMetrics<M extends MetricName = MetricName> {
  readonly perClass: Array<{ readonly class: number } & MetricValues<M>>;
  /** Arithmetic mean over the classes (a NaN class value, possible under "strict", makes the mean NaN). */
  readonly mean: MetricValues<M>;
}

/**
 * Scores each class c on the binary pair (pred == c, gt == c). Label maps (any typed arrays), layout [H, W],
 * [S, H, W] or [X, Y, Z]. With `classes: 4, emptyConvention: "official"` and metrics dice, jaccard, hd95, asd
 * this is the official ACDC `test_single_volume` per-class tuple; with dice, hd95 the `val_2d` one.
 */
export function evaluateVolume<M extends MetricName = MetricName>(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  shape: Shape,
  options: EvaluateVolumeOptions<M>,
): VolumeMetrics<M> {
  checkShape(FN, "shape", shape);
  checkData(FN, "pred", pred, shape);
  checkData(FN, "gt", gt, shape);
  if (options === null || typeof options !== "object") {
    throw new ArgumentError(FN, "options", `must be an object, got ${String(options)}`);
  }
  const classes = resolveClasses(options.classes);
  const n = pred.length;
  const pc = new Uint8Array(n);
  const gc = new Uint8Array(n);
  const perClass: Array<{ readonly class: number } & MetricValues<M>> = [];
  for (const c of classes) {
    for (let i = 0; i < n; i++) {
      pc[i] = pred[i] === c ? 1 : 0;
      gc[i] = gt[i] === c ? 1 : 0;
    }
    perClass.push({ class: c, ...evaluatePair(FN, pc, gc, shape, options) });
  }
  const names = (options.metrics ?? METRIC_NAMES) as readonly M[];
  const mean = {} as MetricValues<M>;
  for (const m of names) mean[m] = perClass.reduce((s, r) => s + r[m], 0) / perClass.length;
  return { perClass, mean };
}

function resolveClasses(classes: number | readonly number[] | undefined): readonly number[] {
  if (typeof classes === "number" && Number.isInteger(classes) && classes >= 2) {
    return Array.from({ length: classes - 1 }, (_, i) => i + 1);
  }
  if (Array.isArray(classes) && classes.length > 0 && classes.every((c) => Number.isInteger(c))) return classes;
  throw new ArgumentError(
    FN,
    "options.classes",
    `must be an integer >= 2 or a non-empty list of integer class ids, got ${JSON.stringify(classes)}`,
  );
}
