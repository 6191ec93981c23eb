import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";
import { maskedCrossEntropy } from "./ce-kernel.ts";
import { checkLossInputs } from "./check-loss-inputs.ts";
import { diceBatchSquared, dicePerSample } from "./dice-kernels.ts";
import { resolveDiceOptions } from "./resolve-form.ts";
import { probabilities, softmaxBackward } from "./softmax-grad.ts";
import type { DiceForm, LossResult } from "./types.ts";

/** The plain supervised loss with its two halves. */
export interface SupervisedLossResult extends LossResult {
  readonly dice: number;
  readonly ce: number;
}

/**
 * LA pre-training loss on `[N, C, ...spatial]` logits and the mixed target `[N, ...spatial]`:
 * (plain CE mean + unmasked Dice)/2, Dice per-sample (mask_DiceLoss) unless `form` says otherwise.
 * (ACDC pre-training is `mixLoss` with `mixLossPresets.acdcPretrain`.)
 */
export function supervisedLoss(
  logits: FloatArray,
  target: NumArray,
  shape: Shape,
  options: { readonly form?: DiceForm; readonly smooth?: number } = {},
): SupervisedLossResult {
  const fn = "supervisedLoss";
  const form = options?.form ?? "per-sample";
  const smooth = resolveDiceOptions(fn, form, options?.smooth, false);
  const dims = checkLossInputs(fn, logits, shape, [["target", target]]);
  const { logp, p } = probabilities(logits, shape);
  const gProb = new Float64Array(p.length);
  const grad = new Float64Array(p.length);
  const dice =
    form === "batch-squared"
      ? diceBatchSquared(p, target, null, false, dims, smooth, 0.5, gProb).value
      : dicePerSample(p, target, null, dims, smooth, 0.5, gProb).value;
  const ce = maskedCrossEntropy(logp, p, target, null, dims, 0.5, grad);
  softmaxBackward(p, gProb, dims, grad);
  return { value: (dice + ce) / 2, dice, ce, grad };
}
