export {
  type BidirectionalMix,
  type BidirectionalMixOptions,
  bidirectionalMix,
  type LabeledBatch,
  type MixPairing,
  type UnlabeledBatch,
} from "./bidirectional-mix.ts";
export { mixImages } from "./mix-images.ts";
export { mixLabels } from "./mix-labels.ts";
export type { LabeledRegion, MixedBatch } from "./mixed-batch.ts";
export { pretrainMix } from "./pretrain-mix.ts";
