import { ArgumentError, type ModelContract, segmentImage } from "@bcpseg/core";
import { evalContract } from "./eval-contract.ts";
import { logitsOf } from "./logits-of.ts";
import { scoreCase } from "./score-case.ts";
import type { CaseResult, ClassMetrics, EvalCase, EvalModel, EvalResult } from "./types.ts";

/** Options of {@link evaluateModel}. */
export interface EvaluateModelOptions {
  /** Classes including background; classes 1..classes-1 are scored. */
  readonly classes: number;
  /** "slices": the ACDC per-slice protocol at `size` [h, w]; "sliding": the LA sliding window with `size` [X, Y, Z] windows. */
  readonly protocol?: "slices" | "sliding";
  readonly size?: readonly number[];
  /** Sliding window stride (default: half the patch, at least 1). */
  readonly stride?: readonly number[];
  /**
   * The model's own contract instead of protocol/size/stride: its geometry steps and inference (2D per slice,
   * 3D sliding window) — what its export serves. The cases carry the intensity steps already (the data readers).
   */
  readonly contract?: ModelContract;
  /** Keep the largest component per class (LA test: true; training validation: false). Default false. */
  readonly largestComponent?: boolean;
  /** Two-class 3D outputs: foreground iff the averaged p1 > threshold (default 0.5, the official LA test). */
  readonly threshold?: number;
  /** What a `{ logits }` model returns: "logits" (default) or "probs" (an exported model's softmax output). */
  readonly output?: "logits" | "probs";
  /** Slices per run for 2D models (default 8). */
  readonly batch?: number;
  /** Voxel spacing for HD95 and ASD (mm): a fixed one, or each case's own (`"case"`, voxels where a case has none). */
  readonly spacing?: readonly number[] | "case";
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
  get(index: number): Promise<{
    image: Float32Array;
    label: ArrayLike<number> | undefined;
    shape: readonly number[];
    spacing?: readonly number[];
  }>;
}

/**
 * Evaluates a model case by case with the ACDC ("slices") or LA ("sliding") protocol — core's segmentImage, the
 * pipeline the edge API serves, with the protocol's contract or the model's own — and core's metrics:
 * per-case per-class Dice, Jaccard, HD95, ASD, and their means over cases (NaNs skipped) and classes.
 */
export async function evaluateModel(
  model: EvalModel,
  source: CaseSource | readonly EvalCase[],
  options: EvaluateModelOptions,
): Promise<EvalResult> {
  const fn = "evaluateModel";
  const started = performance.now();
  const { classes } = options;
  if (!Number.isInteger(classes) || classes < 2)
    throw new ArgumentError(fn, "options.classes", `must be an integer >= 2, got ${classes}`);
  const contract = options.contract ?? protocolContract(fn, options);
  const run = logitsOf(model);
  const count = Array.isArray(source) ? source.length : (source as CaseSource).ids.length;
  const cases: CaseResult[] = [];
  let mm = false;
  for (let i = 0; i < count; i++) {
    const c = Array.isArray(source) ? (source as readonly EvalCase[])[i] : await readCase(source as CaseSource, i);
    const seg = await segmentImage(contract, { data: c.image, shape: c.shape }, async (x, s) => run(x, s), {
      intensity: false,
      output: "logits" in model ? (options.output ?? "logits") : "logits",
      batch: options.batch ?? 8,
      largestComponent: options.largestComponent ?? false,
      threshold: contract.task === "3d" ? (options.threshold ?? 0.5) : undefined,
    });
    const spacing = options.spacing === "case" ? c.spacing : options.spacing;
    if (spacing) mm = true;
    const perClass = scoreCase(seg.labels, c.label, c.shape, classes, options.distances ?? true, spacing);
    const result = {
      id: c.id,
      perClass,
      dice: mean(perClass.map((m) => m.dice)),
      ...(spacing ? { spacing: [...spacing] } : {}),
    };
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
    unit: mm ? "mm" : "voxel",
    seconds: (performance.now() - started) / 1000,
  };
}

function protocolContract(fn: string, options: EvaluateModelOptions): ModelContract {
  const { protocol, size } = options;
  if (protocol !== "slices" && protocol !== "sliding") {
    throw new ArgumentError(fn, "options.protocol", `must be "slices" or "sliding", got ${String(protocol)}`);
  }
  if (!Array.isArray(size)) throw new ArgumentError(fn, "options.size", "is required with a protocol");
  return evalContract({
    classes: options.classes,
    protocol,
    size,
    stride: options.stride,
    scipyEdgeQuirk: options.scipyEdgeQuirk,
  });
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
  return { id: source.ids[index], image: s.image, label: s.label, shape: s.shape, spacing: s.spacing };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function nanMean(xs: readonly number[]): number {
  const ok = xs.filter((x) => !Number.isNaN(x));
  return ok.length === 0 ? Number.NaN : mean(ok);
}
