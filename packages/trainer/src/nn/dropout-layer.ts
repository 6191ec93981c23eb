import * as tf from "@tensorflow/tfjs-core";
import type { ForwardContext } from "./forward-context.ts";

/**
 * Inverted dropout as PyTorch: keep each unit with probability 1 − p and scale kept units by 1/(1 − p); identity
 * outside training or when p = 0. "element" is nn.Dropout; "channel" is nn.Dropout3d/2d (one draw per sample and
 * channel, broadcast over space). Masks come from ctx.rng in JS, so a run replays on any backend.
 */
export function applyDropout(x: tf.Tensor, p: number, ctx: ForwardContext, mode: "element" | "channel"): tf.Tensor {
  if (!ctx.training || p === 0) return x;
  const maskShape =
    mode === "element" ? x.shape : [x.shape[0], ...new Array<number>(x.rank - 2).fill(1), x.shape[x.rank - 1]];
  let n = 1;
  for (const d of maskShape) n *= d;
  const draws = ctx.rng.fillUint32(new Uint32Array(n));
  const mask = new Float32Array(n);
  const scale = 1 / (1 - p);
  // Keep iff u ≥ p with u = k/2^32 uniform on [0, 1): probability 1 − p (up to 2^-32).
  const threshold = p * 4294967296;
  for (let i = 0; i < n; i++) mask[i] = draws[i] >= threshold ? scale : 0;
  return tf.mul(x, tf.tensor(mask, maskShape, "float32"));
}
