import { ArgumentError } from "../errors/bcp-error.ts";
import { clipIntensity } from "../preprocess/clip-intensity.ts";
import { normalizeMinMax } from "../preprocess/normalize-min-max.ts";
import { normalizeZScore } from "../preprocess/normalize-z-score.ts";
import { checkData, checkShape, sizeOf } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import type { ModelContract, PreprocessStep } from "./model-contract-schema.ts";

type IntensityStep = Extract<PreprocessStep, { op: "normalize" | "clip" }>;

/** True for the steps that change intensities only (normalize, clip), not geometry. */
function isIntensityStep(step: PreprocessStep): step is IntensityStep {
  return step.op === "normalize" || step.op === "clip";
}

/**
 * Applies one intensity step to `data` laid out `shape`. `lead` = 1 when the first axis stacks 2D slices
 * (a "slice"-scoped normalize then runs on each slice alone), 0 for one image or a 3D volume.
 */
export function applyIntensityStep(
  step: IntensityStep,
  data: Float32Array,
  shape: number[],
  lead: number,
): Float32Array {
  if (step.op === "clip") return clipIntensity(data, shape, step.min, step.max);
  const norm = (d: Float32Array, s: number[]) =>
    step.method === "minmax" ? normalizeMinMax(d, s) : normalizeZScore(d, s, { clipPercentiles: step.clipPercentiles });
  // One slice: per-slice and per-image statistics are the same numbers.
  if (step.scope === "image" || lead === 0 || shape[0] === 1) return norm(data, shape);
  const out = new Float32Array(data.length);
  const n = sizeOf(shape.slice(1));
  for (let s = 0; s < shape[0]; s++) out.set(norm(data.subarray(s * n, (s + 1) * n), shape.slice(1)), s * n);
  return out;
}

/**
 * The intensity part of a contract's preprocessing — its leading normalize/clip steps — applied to a 2D slice
 * [H, W], a 2D model's stack [S, H, W] or a 3D model's volume [X, Y, Z], exactly as {@link preprocess} applies
 * them before any resize. The trainer calls it on full-resolution training images so that training, validation
 * and serving see the same intensities; geometry (resize, crop) is left to the caller's augmentation.
 * Throws ArgumentError when an intensity step follows a geometry step (its statistics would depend on the
 * resized image, which a training pipeline does not reproduce).
 */
export function normalizeIntensity(
  contract: ModelContract,
  image: { readonly data: NumArray; readonly shape: Shape },
): Float32Array {
  const fn = "normalizeIntensity";
  const is2d = contract.task === "2d";
  checkShape(fn, "image.shape", image.shape, is2d ? [2, 3] : [3]);
  checkData(fn, "image.data", image.data, image.shape);
  const steps = contract.preprocessing;
  const first = steps.findIndex((s) => !isIntensityStep(s));
  if (first >= 0 && steps.slice(first).some(isIntensityStep)) {
    throw new ArgumentError(
      fn,
      "contract.preprocessing",
      "has an intensity step after a geometry step; only leading normalize/clip steps can be applied to training images",
    );
  }
  const shape = [...image.shape];
  const lead = is2d && shape.length === 3 ? 1 : 0;
  const source = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data);
  let data = source;
  for (const step of first < 0 ? steps : steps.slice(0, first)) {
    if (isIntensityStep(step)) data = applyIntensityStep(step, data, shape, lead);
  }
  // Always a new array: callers may keep the source.
  return data === image.data ? data.slice() : data;
}
