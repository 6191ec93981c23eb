import { ArgumentError } from "@bcpseg/core";
import { predictVolume2d } from "./predict-volume-2d.ts";
import { predictVolume3d } from "./predict-volume-3d.ts";
import { scoreCase } from "./score-case.ts";
import type { CaseResult, ClassMetrics, EvalCase, EvalModel, EvalResult } from "./types.ts";

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /** Classes including background; classes 1..classes-1 are scored. */
  readonly classes: number;
  /** "slices": the ACDC per-slice protocol at `size` [h, w]; "sliding": the LA sliding window with `size` [X, Y, Z] windows. */
  readonly protocol: "slices" | "sliding";
  readonly size: readonly number[];
  /** Sliding window stride (default: half the patch, at least 1). */
  readonly stride?: readonly number[];
  /** Sliding protocol: keep the largest component (LA test: true; training validation: false). */
  readonly largestComponent?: boolean;
  /** Compute HD95 and ASD (default true; validation during training may skip them). */
  readonly distances?: boolean;
  /** Slices protocol: the scipy zoom edge quirk when resizing predictions back. */
  readonly scipyEdgeQuirk?: boolean;
  /** Called after each case (progress). */
  readonly onCase?: (result: CaseResult, index: number) => void;
}

/** A set of cases read on demand (a data `Dataset` of volumes fits). */
export interface CaseSource {
  readonly ids: readonly string[];
  get(index: number): Promise<{ image: Float32Array; label: ArrayLike<number> | undefined; shape: readonly number[] }>;
}

/**
 * Evaluates a model case by case with the ACDC ("slices") or LA ("sliding") protocol and core's metrics:
 * per-case per-class Dice, Jaccard, HD95, ASD, and their means over cases (NaNs skipped) and classes.
 */
export async function evaluateModel(
  model: EvalModel,
  source: CaseSource | readonly EvalCase[],
  options: EvaluateModelOptions,
): Promise<EvalResult> {
  const fn = "evaluateModel";
  const started = performance.now();
  const { classes, protocol, size } = options;
  if (!Number.isInteger(classes) || classes < 2)
    throw new ArgumentError(fn, "options.classes", `must be an integer >= 2, got ${classes}`);
  if (protocol !== "slices" && protocol !== "sliding") {
    throw new ArgumentError(fn, "options.protocol", `must be "slices" or "sliding", got ${String(protocol)}`);
  }
  const count = Array.isArray(source) ? source.length : (source as CaseSource).ids.length;
  const cases: CaseResult[] = [];
  for (let i = 0; i < count; i++) {
    const c = Array.isArray(source) ? (source as readonly EvalCase[])[i] : await readCase(source as CaseSource, i);
    const pred =
      protocol === "slices"
        ? await predictVolume2d(model, c.image, c.shape, { size, scipyEdgeQuirk: options.scipyEdgeQuirk })
        : await predictVolume3d(model, c.image, c.shape, {
            patch: size,
            stride: options.stride ?? size.map((d) => Math.max(1, Math.floor(d / 2))),
            largestComponent: options.largestComponent ?? false,
          });
    const perClass = scoreCase(pred, c.label, c.shape, classes, options.distances ?? true);
    const result = { id: c.id, perClass, dice: mean(perClass.map((m) => m.dice)) };
    cases.push(result);
    options.onCase?.(result, i);
  }
  const perClass: ClassMetrics[] = [];
  for (let k = 1; k < classes; k++) {
    const of = (key: keyof Omit<ClassMetrics, "class">) => nanMean(cases.map((r) => r.perClass[k - 1][key]));
    perClass.push({ class: k, dice: of("dice"), jaccard: of("jaccard"), hd95: of("hd95"), asd: of("asd") });
  }
  const meanOf = (key: keyof Omit<ClassMetrics, "class">) => nanMean(perClass.map((m) => m[key]));
  return {
    cases,
    perClass,
    mean: { dice: meanOf("dice"), jaccard: meanOf("jaccard"), hd95: meanOf("hd95"), asd: meanOf("asd") },
    seconds: (performance.now() - started) / 1000,
  };
}

async function readCase(source: CaseSource, index: number): Promise<EvalCase> {
  const s = await source.get(index);
  if (s.label === undefined) {
    throw new ArgumentError("evaluateModel", "source", `case ${source.ids[index]} has no label to score against`);
  }
  if (s.shape.length !== 3) {
    throw new ArgumentError(
      "evaluateModel",
      "source",
      `case ${source.ids[index]} must be a volume, got shape [${s.shape}]`,
    );
  }
  return { id: source.ids[index], image: s.image, label: s.label, shape: s.shape };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function nanMean(xs: readonly number[]): number {
  const ok = xs.filter((x) => !Number.isNaN(x));
  return ok.length === 0 ? Number.NaN : mean(ok);
}
