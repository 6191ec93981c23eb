import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";
import { crossEntropyMap, maskedCrossEntropy } from "./ce-kernel.ts";
import { checkLossInputs } from "./check-loss-inputs.ts";
import { probabilities, regionWeights } from "./softmax-grad.ts";
import type { LossResult } from "./types.ts";

/** Cross-entropy with its per-voxel map (Float32Array, layout [N, ...spatial]). */
export interface CrossEntropyResult extends LossResult {
  readonly map: Float32Array;
}

/**
 * Cross-entropy of `[N, C, ...spatial]` logits against an integer target `[N, ...spatial]`: Σ(CE·m)/(Σm + 1e-16)
 * with a 0/1 mask (the official mix_loss term), the plain mean (F.cross_entropy) without; grad = ∂value/∂logits.
 */
export function crossEntropy(
  logits: FloatArray,
  target: NumArray,
  shape: Shape,
  options: { readonly mask?: NumArray } = {},
): CrossEntropyResult {
  const mask = options?.mask;
  const dims = checkLossInputs("crossEntropy", logits, shape, [["target", target]], [["options.mask", mask]]);
  const { logp, p } = probabilities(logits, shape);
  const grad = new Float64Array(p.length);
  const value = maskedCrossEntropy(logp, p, target, regionWeights(mask, false), dims, 1, grad);
  return { value, grad, map: crossEntropyMap(logp, target, dims) };
}
