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
 * Ties go to the lowest channel index (torch.max / numpy argmax convention); a NaN never wins against the
 * channels before it. Two to four channels (the usual class counts) run an unrolled loop with the same
 * comparisons in the same order, so the result equals the generic loop's for every input.
 */
export function argmaxChannels(scores: FloatArray, shape: Shape): Int32Array {
  checkShape("argmaxChannels", "shape", shape);
  checkFloat("argmaxChannels", "scores", scores, shape);
  const n = shape[0];
  const c = shape[1] ?? 1;
  const s = sizeOf(shape.slice(2));
  const out = new Int32Array(n * s);
  if (c === 1) return out;
  if (c === 2) argmax2(scores, n, s, out);
  else if (c === 3) argmax3(scores, n, s, out);
  else if (c === 4) argmax4(scores, n, s, out);
  else argmaxAny(scores, n, c, s, out);
  return out;
}

function argmax2(x: FloatArray, n: number, s: number, out: Int32Array): void {
  for (let b = 0; b < n; b++) {
    const p0 = b * 2 * s;
    const p1 = p0 + s;
    const o = b * s;
    for (let i = 0; i < s; i++) out[o + i] = x[p1 + i] > x[p0 + i] ? 1 : 0;
  }
}

function argmax3(x: FloatArray, n: number, s: number, out: Int32Array): void {
  for (let b = 0; b < n; b++) {
    const p0 = b * 3 * s;
    const p1 = p0 + s;
    const p2 = p1 + s;
    const o = b * s;
    for (let i = 0; i < s; i++) {
      const v0 = x[p0 + i];
      const v1 = x[p1 + i];
      const g1 = v1 > v0;
      out[o + i] = x[p2 + i] > (g1 ? v1 : v0) ? 2 : g1 ? 1 : 0;
    }
  }
}

function argmax4(x: FloatArray, n: number, s: number, out: Int32Array): void {
  for (let b = 0; b < n; b++) {
    const p0 = b * 4 * s;
    const p1 = p0 + s;
    const p2 = p1 + s;
    const p3 = p2 + s;
    const o = b * s;
    for (let i = 0; i < s; i++) {
      const v0 = x[p0 + i];
      const v1 = x[p1 + i];
      const v2 = x[p2 + i];
      const g1 = v1 > v0;
      const m1 = g1 ? v1 : v0;
      const g2 = v2 > m1;
      out[o + i] = x[p3 + i] > (g2 ? v2 : m1) ? 3 : g2 ? 2 : g1 ? 1 : 0;
    }
  }
}

function argmaxAny(x: FloatArray, n: number, c: number, s: number, out: Int32Array): void {
  for (let b = 0; b < n; b++) {
    const base = b * c * s;
    const o = b * s;
    for (let i = 0; i < s; i++) {
      let best = 0;
      let bestV = x[base + i];
      for (let k = 1, j = base + s + i; k < c; k++, j += s) {
        const v = x[j];
        if (v > bestV) {
          bestV = v;
          best = k;
        }
      }
      out[o + i] = best;
    }
  }
}
