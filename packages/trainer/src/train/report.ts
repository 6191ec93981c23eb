import type { NumArray } from "@bcpseg/core";
import { type EvalModel, type EvalResult, evaluateModel } from "../eval/index.ts";
import type { BestRecord, Stage, ValidationRecord } from "./checkpoint.ts";
import type { TrainConfig } from "./config.ts";
import { createModel } from "./create-model.ts";
import type { TrainData } from "./open-data.ts";

/** The final report of a completed run (report.json). */
export interface TrainReport {
  readonly config: TrainConfig;
  readonly backend: string;
  readonly split: {
    readonly labeled: number;
    readonly unlabeled: number;
    readonly labeledPatients: string[];
    readonly validation: readonly string[];
  };
  readonly stages: Record<Stage, { iterations: number; seconds: number; itPerSec: number; best: BestRecord | null }>;
  readonly history: ValidationRecord[];
  /** The best checkpoint of the last stage scored with the test protocol (all metrics; LA with the largest component). */
  readonly evaluation: Omit<EvalResult, "seconds"> | undefined;
  readonly evaluationSeconds: number;
  readonly finishedAt: string;
}

/** What the report reads from a run. */
export interface RunSummary {
  readonly backend: string;
  readonly best: Record<Stage, BestRecord | null>;
  readonly seconds: Record<Stage, number>;
  readonly history: ValidationRecord[];
  readonly modelSeed: number;
}

/** Scores `bestStudent` on the validation set with full metrics and gathers the run's numbers. */
export async function buildReport(
  config: TrainConfig,
  data: TrainData,
  run: RunSummary,
  bestStudent: Readonly<Record<string, NumArray>>,
  /** The engine's own evaluation model of `bestStudent` (default: a tfjs model on the active backend). */
  engineModel?: EvalModel,
): Promise<TrainReport> {
  let evaluation: EvalResult | undefined;
  if (data.val !== undefined) {
    const model = engineModel === undefined ? createModel(config, run.modelSeed) : undefined;
    try {
      model?.setWeights(bestStudent);
      evaluation = await evaluateModel(model ?? (engineModel as EvalModel), data.val, {
        classes: config.classes,
        protocol: config.patchSize.length === 2 ? "slices" : "sliding",
        size: config.patchSize,
        stride: config.validation.stride,
        // The official LA test keeps the largest component; ACDC's does not.
        largestComponent: config.patchSize.length === 3 && config.classes === 2,
        scipyEdgeQuirk: config.quirks.scipyEdgeQuirk,
      });
    } finally {
      model?.dispose();
    }
  }
  const stage = (s: Stage) => ({
    iterations: config[s].iterations,
    seconds: run.seconds[s],
    itPerSec: run.seconds[s] > 0 ? config[s].iterations / run.seconds[s] : 0,
    best: run.best[s],
  });
  const { seconds, ...rest } = evaluation ?? { seconds: 0 };
  return {
    config,
    backend: run.backend,
    split: {
      labeled: data.split.labeled.length,
      unlabeled: data.split.unlabeled.length,
      labeledPatients: data.split.labeledPatients,
      validation: data.val?.ids ?? [],
    },
    stages: { pretrain: stage("pretrain"), selftrain: stage("selftrain") },
    history: run.history,
    evaluation: evaluation === undefined ? undefined : (rest as Omit<EvalResult, "seconds">),
    evaluationSeconds: seconds,
    finishedAt: new Date().toISOString(),
  };
}
