import { checkFloat, checkShape, sizeOf } from "./check.ts";
import type { FloatArray, Shape } from "./types.ts";

/**
 * Softmax over the channel axis of `[N, C, ...spatial]` logits; returns Float32Array probabilities.
 * Computed as exp(x - max) / Σ exp(x - max) in float64, so large logits do not overflow.
 */
export function softmax(logits: FloatArray, shape: Shape): Float32Array {
  checkShape("softmax", "shape", shape);
  checkFloat("softmax", "logits", logits, shape);
  const n = shape[0];
  const c = shape[1] ?? 1;
  const s = sizeOf(shape.slice(2));
  const out = new Float32Array(logits.length);
  for (let b = 0; b < n; b++) {
    const base = b * c * s;
    for (let i = 0; i < s; i++) {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, logits[base + k * s + i]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp(logits[base + k * s + i] - max);
      for (let k = 0; k < c; k++) out[base + k * s + i] = Math.exp(logits[base + k * s + i] - max) / sum;
    }
  }
  return out;
}

/**
 * Log-softmax over the channel axis of `[N, C, ...spatial]` logits, in float64:
 * log p_k = x_k - (max + log Σ exp(x_j - max)).
 */
export function logSoftmax(logits: FloatArray, shape: Shape): Float64Array {
  checkShape("logSoftmax", "shape", shape);
  checkFloat("logSoftmax", "logits", logits, shape);
  const n = shape[0];
  const c = shape[1] ?? 1;
  const s = sizeOf(shape.slice(2));
  const out = new Float64Array(logits.length);
  for (let b = 0; b < n; b++) {
    const base = b * c * s;
    for (let i = 0; i < s; i++) {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, logits[base + k * s + i]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp(logits[base + k * s + i] - max);
      const lse = max + Math.log(sum);
      for (let k = 0; k < c; k++) out[base + k * s + i] = logits[base + k * s + i] - lse;
    }
  }
  return out;
}

/**
 * Argmax over the channel axis of `[N, C, ...spatial]` scores → Int32Array `[N, ...spatial]`.
 * Ties go to the lowest channel index (torch.max / numpy argmax convention).
 */
export function argmaxChannels(scores: FloatArray, shape: Shape): Int32Array {
  checkShape("argmaxChannels", "shape", shape);
  checkFloat("argmaxChannels", "scores", scores, shape);
  const n = shape[0];
  const c = shape[1] ?? 1;
  const s = sizeOf(shape.slice(2));
  const out = new Int32Array(n * s);
  for (let b = 0; b < n; b++) {
    const base = b * c * s;
    for (let i = 0; i < s; i++) {
      let best = 0;
      let bestV = scores[base + i];
      for (let k = 1; k < c; k++) {
        const v = scores[base + k * s + i];
        if (v > bestV) {
          bestV = v;
          best = k;
        }
      }
      out[b * s + i] = best;
    }
  }
  return out;
}
