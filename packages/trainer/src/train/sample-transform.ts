import { cropOrPad, type Rng, zoomNearest } from "@bcpseg/core";
import { type SampleTransform, trainTransform } from "../data/index.ts";
import type { TrainConfig } from "./config.ts";

/**
 * The per-sample training transform of a config: the official augmentation (ACDC RandomGenerator, LA
 * RandomRotFlip + RandomCrop) drawing from `rng`, or without `augment` a plain nearest zoom (2-D) /
 * centred crop-or-pad (3-D) to the patch size.
 */
export function sampleTransform(config: TrainConfig, rng: Rng): SampleTransform {
  const patch = config.patchSize;
  const rank = patch.length as 2 | 3;
  if (config.augment) {
    return trainTransform(rank, patch, rng, {
      offsetRange: config.quirks.officialMaskOffsets ? "official" : "full",
      scipyEdgeQuirk: config.quirks.scipyEdgeQuirk,
    });
  }
  return (s) => {
    const resize = <T extends Float32Array | Uint8Array>(x: T): T =>
      rank === 2 ? zoomNearest(x, s.shape, patch) : cropOrPad(x, s.shape, patch);
    return { image: resize(s.image), label: s.label === undefined ? undefined : resize(s.label), shape: [...patch] };
  };
}
