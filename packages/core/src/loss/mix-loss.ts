import { checkRange } from "../tensor/check.ts";
import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";
import { maskedCrossEntropy } from "./ce-kernel.ts";
import { checkLossInputs } from "./check-loss-inputs.ts";
import { diceBatchSquared, dicePerSample } from "./dice-kernels.ts";
import { resolveDiceOptions } from "./resolve-form.ts";
import { probabilities, regionWeights, softmaxBackward } from "./softmax-grad.ts";
import type { DiceForm, LossResult } from "./types.ts";

/** Options of {@link mixLoss}; weights and orientation follow the official `mix_loss(..., u_weight, unlab)`. */
export interface MixLossOptions {
  /** "batch-squared" (ACDC DiceLoss) or "per-sample" (LA mask_DiceLoss). */
  readonly form: DiceForm;
  /** Weight of the region cut from a labeled image (official l_weight); default 1.0. */
  readonly labeledWeight?: number;
  /** Weight of the region cut from an unlabeled image (official u_weight = paper α); default 0.5. */
  readonly unlabeledWeight?: number;
  /** The official `unlab=True`: the frame (mask == 1) is unlabeled, the box labeled. Default false. */
  readonly frameIsUnlabeled?: boolean;
  /** batch-squared only: the pre-a925e30 Dice where class 0 ignores the region mask (paper-time ACDC). */
  readonly legacyMaskBug?: boolean;
  /** Dice smoothing ε; defaults to the official value of the form. */
  readonly smooth?: number;
}

/** Unweighted Dice and CE of one region, with the weight it entered the loss with. */
export interface RegionTerms {
  readonly dice: number;
  readonly ce: number;
  readonly weight: number;
}

/** value = (dice + ce)/2; dice and ce are the weighted sums the ACDC script gets back separately. */
export interface MixLossResult extends LossResult {
  readonly dice: number;
  readonly ce: number;
  readonly frame: RegionTerms;
  readonly box: RegionTerms;
}

/**
 * Official BCP mix_loss on `[N, C, H, W]` / `[N, C, X, Y, Z]` logits: `frameTarget` supervises mask == 1,
 * `boxTarget` mask == 0 (targets `[N, ...spatial]`, mask 0/1 `[N, ...spatial]`), each region's Dice and masked
 * CE weighted by its labeled/unlabeled weight. The ACDC self-train total ((unl_dice + l_dice) + (unl_ce + l_ce))/2
 * and the LA total loss_l + loss_u are both the sum of the two mixes' `value`.
 */
export function mixLoss(
  logits: FloatArray,
  frameTarget: NumArray,
  boxTarget: NumArray,
  mask: NumArray,
  shape: Shape,
  options: MixLossOptions,
): MixLossResult {
  const fn = "mixLoss";
  const o = options ?? ({} as MixLossOptions);
  const { form, labeledWeight = 1, unlabeledWeight = 0.5, frameIsUnlabeled = false, legacyMaskBug = false } = o;
  const smooth = resolveDiceOptions(fn, form, o.smooth, legacyMaskBug);
  checkRange(fn, "labeledWeight", labeledWeight, 0, Number.MAX_VALUE);
  checkRange(fn, "unlabeledWeight", unlabeledWeight, 0, Number.MAX_VALUE);
  const dims = checkLossInputs(
    fn,
    logits,
    shape,
    [
      ["frameTarget", frameTarget],
      ["boxTarget", boxTarget],
    ],
    [["mask", mask]],
  );
  const frameWeight = frameIsUnlabeled ? unlabeledWeight : labeledWeight;
  const boxWeight = frameIsUnlabeled ? labeledWeight : unlabeledWeight;
  const { logp, p } = probabilities(logits, shape);
  const gProb = new Float64Array(p.length);
  const grad = new Float64Array(p.length);
  const region = (target: NumArray, weights: Float64Array, weight: number): RegionTerms => {
    // value = (w·dice + w·ce)/2 per region, so each term's gradient enters with scale w/2.
    const scale = weight / 2;
    const dice =
      form === "batch-squared"
        ? diceBatchSquared(p, target, weights, legacyMaskBug, dims, smooth, scale, gProb).value
        : dicePerSample(p, target, weights, dims, smooth, scale, gProb).value;
    const ce = maskedCrossEntropy(logp, p, target, weights, dims, scale, grad);
    return { dice, ce, weight };
  };
  const frame = region(frameTarget, regionWeights(mask, false)!, frameWeight);
  const box = region(boxTarget, regionWeights(mask, true)!, boxWeight);
  softmaxBackward(p, gProb, dims, grad);
  const dice = frame.weight * frame.dice + box.weight * box.dice;
  const ce = frame.weight * frame.ce + box.weight * box.ce;
  return { value: (dice + ce) / 2, dice, ce, grad, frame, box };
}
