import { logSoftmax } from "../tensor/softmax.ts";
import type { FloatArray, Shape } from "../tensor/types.ts";
import type { LossDims } from "./types.ts";

/** Float64 log-probabilities and probabilities over the channel axis of `[N, C, ...spatial]` logits. */
export function probabilities(logits: FloatArray, shape: Shape): { logp: Float64Array; p: Float64Array } {
  const logp = logSoftmax(logits, shape);
  const p = new Float64Array(logp.length);
  for (let i = 0; i < p.length; i++) p[i] = Math.exp(logp[i]);
  return { logp, p };
}

/**
 * Chain rule through the channel softmax, accumulated into `out` (layout [N, C, ...spatial]).
 * With p = softmax(x), ∂p_k/∂x_j = p_k(δ_kj − p_j), so for g_k = ∂L/∂p_k:
 * ∂L/∂x_j = Σ_k g_k p_k (δ_kj − p_j) = p_j (g_j − Σ_k g_k p_k).
 */
export function softmaxBackward(p: Float64Array, gProb: Float64Array, dims: LossDims, out: Float64Array): void {
  const { n, c, s } = dims;
  for (let b = 0; b < n; b++) {
    const base = b * c * s;
    for (let i = 0; i < s; i++) {
      let dot = 0;
      for (let k = 0; k < c; k++) dot += gProb[base + k * s + i] * p[base + k * s + i];
      for (let k = 0; k < c; k++) {
        const j = base + k * s + i;
        out[j] += p[j] * (gProb[j] - dot);
      }
    }
  }
}

/** Region weights [N, ...spatial] as float64: the mask itself, or 1 − mask for the box; null stays null (all ones). */
export function regionWeights(mask: ArrayLike<number> | undefined, invert: boolean): Float64Array | null {
  if (mask === undefined) return null;
  const w = new Float64Array(mask.length);
  for (let i = 0; i < w.length; i++) w[i] = invert ? 1 - mask[i] : mask[i];
  return w;
}
