import type { RngState } from "@bcpseg/core";
import type { TwoStreamSamplerState } from "../data/index.ts";
import type { NamedWeights } from "../nn/index.ts";
import type { TrainConfig } from "./config.ts";
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from "./safetensors.ts";
import type { SgdState } from "./sgd.ts";
import { TrainError } from "./train-error.ts";

/** Training stages, in run order. */
export type Stage = "pretrain" | "selftrain";

/** One validation of the student. */
export interface ValidationRecord {
  readonly stage: Stage;
  readonly iteration: number;
  /** Mean Dice over classes and cases (the model-selection metric). */
  readonly dice: number;
  readonly perClassDice: number[];
}

/** The best validation of a stage. */
export interface BestRecord {
  readonly dice: number;
  readonly iteration: number;
}

/** Everything besides the tensors that a resumed run needs, stored as JSON in the file's metadata. */
export interface CheckpointMeta {
  readonly format: "bcpseg-checkpoint";
  readonly version: 1;
  readonly stage: Stage;
  /** Completed iterations of `stage`. */
  readonly iteration: number;
  readonly config: TrainConfig;
  /** Generator states by stream name (augment, mask, dropout, teacherDropout). */
  readonly rng: Record<string, RngState>;
  readonly sampler: TwoStreamSamplerState;
  /** Best validation of each stage so far (null before its first validation). */
  readonly best: Record<Stage, BestRecord | null>;
  readonly lr: number;
  /** Training seconds spent so far (both stages, all invocations). */
  readonly seconds: Record<Stage, number>;
  readonly history: ValidationRecord[];
  readonly backend: string;
}

/** A checkpoint: metadata, student and teacher weights (tfjs layout), optimizer momentum buffers. */
export interface Checkpoint {
  readonly meta: CheckpointMeta;
  readonly student: NamedWeights;
  readonly teacher: NamedWeights | undefined;
  readonly optimizer: SgdState | undefined;
}

const PREFIX = { student: "student/", teacher: "teacher/", optimizer: "optimizer/momentum/" } as const;

/**
 * A checkpoint as safetensors chunks: tensors "student/<state-dict name>", "teacher/<name>",
 * "optimizer/momentum/<name>" (tfjs layouts, `shapes` gives each name's shape) and the metadata JSON under
 * the "bcpseg" key of `__metadata__`.
 */
export function encodeCheckpoint(ckpt: Checkpoint, shapes: Readonly<Record<string, readonly number[]>>): Uint8Array[] {
  const tensors: Record<string, StoredTensor> = {};
  const add = (prefix: string, weights: Readonly<Record<string, Float32Array | Int32Array>> | undefined) => {
    for (const [name, data] of Object.entries(weights ?? {}))
      tensors[prefix + name] = { data, shape: shapes[name] ?? [data.length] };
  };
  add(PREFIX.student, ckpt.student);
  add(PREFIX.teacher, ckpt.teacher);
  add(PREFIX.optimizer, ckpt.optimizer);
  return encodeSafetensors({ tensors, metadata: { bcpseg: JSON.stringify(ckpt.meta) } });
}

/** Reads a checkpoint written by {@link encodeCheckpoint}; throws TrainError ERR_CHECKPOINT_FORMAT otherwise. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(metadata.bcpseg ?? "null");
  } catch {
    meta = null as unknown as CheckpointMeta;
  }
  if (meta === null || meta.format !== "bcpseg-checkpoint" || meta.version !== 1) {
    throw new TrainError(
      "ERR_CHECKPOINT_FORMAT",
      "decodeCheckpoint: not a bcpseg checkpoint (metadata.bcpseg missing or wrong version)",
    );
  }
  const pick = (prefix: string) => {
    const out: Record<string, Float32Array | Int32Array> = {};
    for (const [name, t] of Object.entries(tensors))
      if (name.startsWith(prefix)) out[name.slice(prefix.length)] = t.data;
    return Object.keys(out).length === 0 ? undefined : out;
  };
  const student = pick(PREFIX.student);
  if (student === undefined) throw new TrainError("ERR_CHECKPOINT_FORMAT", "decodeCheckpoint: no student weights");
  return { meta, student, teacher: pick(PREFIX.teacher), optimizer: pick(PREFIX.optimizer) as SgdState | undefined };
}
