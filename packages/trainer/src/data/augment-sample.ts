import { type DrawSource, type TrainTransform2dOptions, trainTransform2d, trainTransform3d } from "@bcpseg/core";
import type { Sample } from "./sample.ts";

/** An image with its optional label after augmentation, both in `shape`. */
export interface ShapedSample {
  readonly image: Float32Array;
  readonly label: Uint8Array | undefined;
  readonly shape: number[];
}

/** Turns a read sample into a training sample (augmentation, resizing, cropping). */
export type SampleTransform = (sample: Sample) => ShapedSample;

/**
 * ACDC `RandomGenerator(outSize)` on a [H, W] slice via core's trainTransform2d: rot90+flip (p 0.5) or
 * else rotation (p 0.25), then nearest zoom to outSize. An unlabeled sample draws the same numbers.
 */
export function augmentSample2d(
  sample: ShapedSample,
  outSize: readonly number[],
  rng: DrawSource,
  options: TrainTransform2dOptions = {},
): ShapedSample {
  const label = sample.label ?? new Uint8Array(sample.image.length);
  const r = trainTransform2d(sample.image, label, sample.shape, outSize, rng, options);
  return { image: r.image, label: sample.label === undefined ? undefined : r.label, shape: r.shape };
}

/**
 * LA training transform on a [X, Y, Z] volume via core's trainTransform3d: RandomRotFlip, then
 * RandomCrop to `patch` (zero-padding a volume not larger than the patch). `offsetRange: "official"` keeps
 * the crop off the far end of each axis, as the official `randint(0, size - patch)` does.
 */
export function augmentSample3d(
  sample: ShapedSample,
  patch: readonly number[],
  rng: DrawSource,
  options: { readonly offsetRange?: "full" | "official" } = {},
): ShapedSample {
  const label = sample.label ?? new Uint8Array(sample.image.length);
  const r = trainTransform3d(sample.image, label, sample.shape, patch, rng, options);
  return { image: r.image, label: sample.label === undefined ? undefined : r.label, shape: r.shape };
}

/** The official training transform for a rank: augmentSample2d to `size` [H, W] or augmentSample3d to a [X, Y, Z] patch. */
export function trainTransform(
  rank: 2 | 3,
  size: readonly number[],
  rng: DrawSource,
  options: TrainTransform2dOptions & { readonly offsetRange?: "full" | "official" } = {},
): SampleTransform {
  return rank === 2 ? (s) => augmentSample2d(s, size, rng, options) : (s) => augmentSample3d(s, size, rng, options);
}
