import { ArgumentError } from "@bcpseg/core";
import { type TrainConfig, type TrainConfigInput, TrainConfigSchema } from "./config.ts";

/** Names of the built-in configurations. */
export type PresetName = "acdc" | "la" | "synth2d" | "synth3d";

/** Recursive partial of a config, for overrides. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

// The official ACDC_BCP_train.py run: its hyper-parameters, batch split and schedules.
const ACDC: TrainConfigInput = {
  data: { kind: "acdc", labeledPatients: 7 },
  model: { arch: "unet2d" },
  classes: 4,
  patchSize: [256, 256],
  batch: { labeled: 12, unlabeled: 12 },
  pretrain: { iterations: 10_000 },
  selftrain: { iterations: 30_000 },
  restoreOptimizer: true,
  ema: { scope: "all" },
  pairing: "acdc",
  diceForm: "batch-squared",
  pretrainLoss: "mix",
  pseudoLabel: { mode: "argmax" },
};

// The official LA_BCP_train.py run.
const LA: TrainConfigInput = {
  data: { kind: "la", labeledPatients: 8 },
  model: { arch: "vnet3d" },
  classes: 2,
  patchSize: [112, 112, 80],
  batch: { labeled: 4, unlabeled: 4 },
  pretrain: { iterations: 2_000 },
  selftrain: { iterations: 15_000, lrStep: 2_500, lrGamma: 0.1 },
  restoreOptimizer: false,
  ema: { scope: "parameters" },
  pairing: "la",
  diceForm: "per-sample",
  pretrainLoss: "supervised",
  pseudoLabel: { mode: "threshold" },
  validation: { stride: [18, 18, 4] },
};

// CPU-sized runs on core's phantoms: the same procedure, smaller network, images and schedule.
const SYNTH2D: TrainConfigInput = {
  ...ACDC,
  data: { kind: "synth2d", labeledFraction: 0.05, synthPatients: 20, synthValPatients: 4, synthSize: [64, 64] },
  model: { arch: "unet2d", width: 0.25 },
  patchSize: [64, 64],
  batch: { labeled: 4, unlabeled: 4 },
  pretrain: { iterations: 300 },
  selftrain: { iterations: 900 },
  validation: { every: 100 },
  checkpointEvery: 100,
};

const SYNTH3D: TrainConfigInput = {
  ...LA,
  data: { kind: "synth3d", labeledPatients: 2, synthPatients: 12, synthValPatients: 2, synthSize: [64, 64, 48] },
  model: { arch: "vnet3d", width: 0.25 },
  patchSize: [48, 48, 32],
  batch: { labeled: 2, unlabeled: 2 },
  pretrain: { iterations: 100 },
  selftrain: { iterations: 300, lrStep: 100, lrGamma: 0.1 },
  validation: { every: 50, stride: [16, 16, 8] },
  checkpointEvery: 50,
};

const PRESETS: Record<PresetName, TrainConfigInput> = { acdc: ACDC, la: LA, synth2d: SYNTH2D, synth3d: SYNTH3D };

/** A validated configuration: the named preset with `overrides` merged in depth (arrays replace). */
export function preset(name: PresetName, overrides: DeepPartial<TrainConfigInput> = {}): TrainConfig {
  const base = PRESETS[name];
  if (base === undefined) {
    throw new ArgumentError("preset", "name", `must be one of ${Object.keys(PRESETS).join(", ")}, got ${String(name)}`);
  }
  return TrainConfigSchema.parse(deepMerge(base, overrides));
}

/** Merges plain objects recursively; arrays and scalars in `over` replace those in `base`, undefined deletes. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlain(base) || !isPlain(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined)
      delete out[k]; // an explicit undefined removes the base value (e.g. labeledFraction)
    else out[k] = deepMerge(out[k], v);
  }
  return out as T;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
