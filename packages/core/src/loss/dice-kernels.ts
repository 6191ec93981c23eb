import type { NumArray } from "../tensor/types.ts";
import type { LossDims } from "./types.ts";

/** Per-class loss terms of one Dice evaluation; `perSample` ([N, C] losses) only for the per-sample form. */
export interface DiceTerms {
  readonly value: number;
  readonly perClass: Float64Array;
  readonly perSample?: Float64Array;
}

/**
 * ACDC `losses.DiceLoss` on probabilities p (layout [N, C, ...spatial]); adds scale·∂loss/∂p into gProb.
 * Per class c, with region weight m (the mask; with `legacyClass0` class 0 uses 1 everywhere, the pre-a925e30 bug)
 * and sums over the whole batch: I = Σ p·T·m, Y = Σ T·m, Z = Σ p²·m, D = Z + Y + ε,
 * loss_c = 1 − (2I + ε)/D, so ∂loss_c/∂p_v = −2 m_v (T_v·D − (2I + ε)·p_v) / D². Dice = mean_c loss_c.
 */
export function diceBatchSquared(
  p: Float64Array,
  target: NumArray,
  region: Float64Array | null,
  legacyClass0: boolean,
  dims: LossDims,
  smooth: number,
  scale: number,
  gProb: Float64Array | null,
): DiceTerms {
  const { n, c, s } = dims;
  const perClass = new Float64Array(c);
  let total = 0;
  for (let k = 0; k < c; k++) {
    const whole = region === null || (legacyClass0 && k === 0);
    let inter = 0;
    let y = 0;
    let z = 0;
    for (let b = 0; b < n; b++) {
      const base = (b * c + k) * s;
      for (let i = 0; i < s; i++) {
        const m = whole ? 1 : region[b * s + i];
        const pv = p[base + i];
        const t = target[b * s + i] === k ? m : 0;
        inter += pv * t;
        y += t;
        z += pv * pv * m;
      }
    }
    const d = z + y + smooth;
    const num = 2 * inter + smooth;
    perClass[k] = 1 - num / d;
    total += perClass[k];
    if (gProb === null || scale === 0) continue;
    const f = (-2 * scale) / (c * d * d);
    for (let b = 0; b < n; b++) {
      const base = (b * c + k) * s;
      for (let i = 0; i < s; i++) {
        const m = whole ? 1 : region[b * s + i];
        const t = target[b * s + i] === k ? 1 : 0;
        gProb[base + i] += f * m * (t * d - num * p[base + i]);
      }
    }
  }
  return { value: total / c, perClass };
}

/**
 * LA `losses.mask_DiceLoss` on probabilities p (layout [N, C, ...spatial]); adds scale·∂loss/∂p into gProb.
 * Per sample b and class c with region weight m: I = Σ p·t·m, U = Σ (p + t)·m, dice = (2I + ε)/(U + ε),
 * loss = 1 − mean_{b,c} dice, so ∂loss/∂p_v = −m_v (2t_v(U + ε) − (2I + ε)) / ((U + ε)² · N·C).
 */
export function dicePerSample(
  p: Float64Array,
  target: NumArray,
  region: Float64Array | null,
  dims: LossDims,
  smooth: number,
  scale: number,
  gProb: Float64Array | null,
): DiceTerms {
  const { n, c, s } = dims;
  const perSample = new Float64Array(n * c);
  const perClass = new Float64Array(c);
  let total = 0;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < c; k++) {
      const base = (b * c + k) * s;
      let inter = 0;
      let union = 0;
      for (let i = 0; i < s; i++) {
        const m = region === null ? 1 : region[b * s + i];
        const t = target[b * s + i] === k ? 1 : 0;
        inter += p[base + i] * t * m;
        union += (p[base + i] + t) * m;
      }
      const u = union + smooth;
      const num = 2 * inter + smooth;
      const term = 1 - num / u;
      perSample[b * c + k] = term;
      perClass[k] += term / n;
      total += term;
      if (gProb === null || scale === 0) continue;
      const f = -scale / (n * c * u * u);
      for (let i = 0; i < s; i++) {
        const m = region === null ? 1 : region[b * s + i];
        const t = target[b * s + i] === k ? 1 : 0;
        gProb[base + i] += f * m * (2 * t * u - num);
      }
    }
  }
  return { value: total / (n * c), perClass, perSample };
}
