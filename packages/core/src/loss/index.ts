export { type CrossEntropyResult, crossEntropy } from "./cross-entropy.ts";
export { type DiceLossOptions, type DiceLossResult, diceLoss } from "./dice-loss.ts";
export { type MixLossOptions, type MixLossResult, mixLoss, type RegionTerms } from "./mix-loss.ts";
export { mixLossPresets } from "./mix-loss-presets.ts";
export { DEFAULT_SMOOTH } from "./resolve-form.ts";
export { type SupervisedLossResult, supervisedLoss } from "./supervised-loss.ts";
export type { DiceForm, LossResult } from "./types.ts";
