import type { ModelContract } from "@bcpseg/core";
import type { InputKind } from "../io/list-inputs.ts";

/** What `bcpseg predict` writes for one input: the encoded label map and the labels themselves. */
export interface Prediction {
  /** "png" for a single 2-D image, "nifti-gz" for volumes and stacks (NIfTI inputs keep their geometry). */
  readonly format: "png" | "nifti-gz";
  readonly bytes: Uint8Array;
  readonly labels: Uint8Array;
  readonly shape: number[];
}

/** A model that labels input files: an ONNX model through the edge API, or a training checkpoint through tfjs. */
export interface Predictor {
  /** `largestComponent` overrides the contract's post-processing (largest component per class). */
  predict(
    input: { path: string; kind: InputKind },
    options: { dataset: string; largestComponent?: boolean },
  ): Promise<Prediction>;
  /**
   * Labels a volume in the NIfTI reader's order [X, Y, Z] (a NIfTI file's or a DICOM series' volume): a 2-D model
   * runs on each slice z as the [Y, X] image, a 3-D model on the volume. Labels uint8 in the same layout.
   */
  segmentVolume(
    volume: { readonly data: Float32Array; readonly shape: readonly number[] },
    options: { largestComponent?: boolean },
  ): Promise<{ labels: Uint8Array; shape: number[] }>;
  /** The model's contract (classes, task). */
  readonly contract: ModelContract;
  dispose(): Promise<void>;
}

/** The answer format for an input: a label PNG for a 2-D image, gzipped NIfTI for NIfTI inputs and volumes. */
export function outputFormat(kind: InputKind, shape: readonly number[]): "png" | "nifti-gz" {
  if (kind === "nifti") return "nifti-gz";
  return shape.length === 2 || (shape.length === 3 && shape[0] === 1) ? "png" : "nifti-gz";
}
