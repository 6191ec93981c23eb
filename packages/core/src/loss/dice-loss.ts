import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";
import { checkLossInputs } from "./check-loss-inputs.ts";
import { diceBatchSquared, dicePerSample } from "./dice-kernels.ts";
import { resolveDiceOptions } from "./resolve-form.ts";
import { probabilities, regionWeights, softmaxBackward } from "./softmax-grad.ts";
import type { DiceForm, LossResult } from "./types.ts";

/** Options of {@link diceLoss}. */
export interface DiceLossOptions {
  /** "batch-squared": ACDC DiceLoss (batch sums, Σp² denominator, ε 1e-10); "per-sample": LA mask_DiceLoss (ε 1e-5). */
  readonly form: DiceForm;
  /** Region counted, 0/1, layout [N, ...spatial]; omitted = everywhere. */
  readonly mask?: NumArray;
  /** batch-squared only: class 0 ignores the mask, as the official DiceLoss did before commit a925e30 (paper time). */
  readonly legacyMaskBug?: boolean;
  /** Smoothing ε; defaults to the official value of the form. */
  readonly smooth?: number;
}

/** A Dice loss with its per-class terms (loss_c, value = their mean) and, per-sample form, the [N, C] terms. */
export interface DiceLossResult extends LossResult {
  readonly perClass: Float64Array;
  readonly perSample?: Float64Array;
}

/**
 * Dice loss of `[N, C, H, W]` / `[N, C, X, Y, Z]` logits (softmax taken here) against an integer target
 * `[N, ...spatial]`, background included; `grad` is ∂value/∂logits in float64.
 */
export function diceLoss(logits: FloatArray, target: NumArray, shape: Shape, options: DiceLossOptions): DiceLossResult {
  const fn = "diceLoss";
  const { form, mask, legacyMaskBug = false } = options ?? ({} as DiceLossOptions);
  const smooth = resolveDiceOptions(fn, form, options?.smooth, legacyMaskBug);
  const dims = checkLossInputs(fn, logits, shape, [["target", target]], [["options.mask", mask]]);
  const { p } = probabilities(logits, shape);
  const gProb = new Float64Array(p.length);
  const region = regionWeights(mask, false);
  const terms =
    form === "batch-squared"
      ? diceBatchSquared(p, target, region, legacyMaskBug, dims, smooth, 1, gProb)
      : dicePerSample(p, target, region, dims, smooth, 1, gProb);
  const grad = new Float64Array(p.length);
  softmaxBackward(p, gProb, dims, grad);
  return terms.perSample === undefined
    ? { value: terms.value, grad, perClass: terms.perClass }
    : { value: terms.value, grad, perClass: terms.perClass, perSample: terms.perSample };
}
