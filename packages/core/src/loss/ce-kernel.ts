import type { NumArray } from "../tensor/types.ts";
import type { LossDims } from "./types.ts";

/**
 * Masked mean cross-entropy Σ(CE·m)/(Σm + 1e-16) (plain mean over N·spatial when region is null) from float64
 * log-probabilities; adds scale·∂/∂logits into gLogits. With CE_v = −log p_t, ∂CE_v/∂x_j = p_j − δ_jt.
 */
export function maskedCrossEntropy(
  logp: Float64Array,
  p: Float64Array,
  target: NumArray,
  region: Float64Array | null,
  dims: LossDims,
  scale: number,
  gLogits: Float64Array | null,
): number {
  const { n, c, s } = dims;
  let sum = 0;
  let weight = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < s; i++) {
      const m = region === null ? 1 : region[b * s + i];
      weight += m;
      if (m !== 0) sum += -m * logp[(b * c + target[b * s + i]) * s + i];
    }
  }
  const denom = region === null ? n * s : weight + 1e-16;
  if (gLogits !== null && scale !== 0) {
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < s; i++) {
        const m = region === null ? 1 : region[b * s + i];
        if (m === 0) continue;
        const f = (scale * m) / denom;
        const t = target[b * s + i];
        for (let k = 0; k < c; k++) {
          const j = (b * c + k) * s + i;
          gLogits[j] += f * (p[j] - (k === t ? 1 : 0));
        }
      }
    }
  }
  return sum / denom;
}

/** Per-voxel cross-entropy −log p_target as Float32Array, layout [N, ...spatial]. */
export function crossEntropyMap(logp: Float64Array, target: NumArray, dims: LossDims): Float32Array {
  const { n, c, s } = dims;
  const out = new Float32Array(n * s);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < s; i++) out[b * s + i] = -logp[(b * c + target[b * s + i]) * s + i];
  }
  return out;
}
