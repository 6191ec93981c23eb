import type * as tf from "@tensorflow/tfjs-core";
import type { ApplyOptions } from "../models/index.ts";

/** A tfjs model as evaluation sees it: channels-last logits from a channels-last float32 batch. */
export interface Segmenter {
  apply(input: tf.Tensor, options: ApplyOptions): tf.Tensor;
}

/** Channels-first logits [N, classes, ...spatial] of a float32 batch `input` of shape [N, 1, ...spatial]. */
export type LogitsFn = (input: Float32Array, shape: readonly number[]) => Float32Array | Promise<Float32Array>;

/** What evaluation needs of a model: a tfjs model (eval mode), or any engine's logits function. */
export type EvalModel = Segmenter | { readonly logits: LogitsFn };

/** One case to score: a volume ([S, H, W] ACDC frame, [X, Y, Z] LA scan) and its label map. */
export interface EvalCase {
  readonly id: string;
  readonly image: Float32Array;
  readonly label: ArrayLike<number>;
  readonly shape: readonly number[];
  /** Voxel spacing (mm) per axis of `shape`, where the file has one. */
  readonly spacing?: readonly number[];
}

/** Metric values of one class (Dice and Jaccard in [0, 1]; HD95 and ASD in voxels or mm, NaN where undefined). */
export interface ClassMetrics {
  readonly class: number;
  readonly dice: number;
  readonly jaccard: number;
  readonly hd95: number;
  readonly asd: number;
}

/** One case's scores. */
export interface CaseResult {
  readonly id: string;
  readonly perClass: ClassMetrics[];
  /** Mean Dice over the classes. */
  readonly dice: number;
  /** The spacing HD95 and ASD were measured with (mm); absent: voxels. */
  readonly spacing?: readonly number[];
}

/** Scores of a set: per case, and per class averaged over the cases (NaN values skipped). */
export interface EvalResult {
  readonly cases: CaseResult[];
  readonly perClass: ClassMetrics[];
  /** Mean over classes of the per-class means. */
  readonly mean: Omit<ClassMetrics, "class">;
  /** HD95 and ASD unit: "mm" when any case was measured with a spacing. */
  readonly unit?: "voxel" | "mm";
  readonly seconds: number;
}
