import type { Rng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import type { ParamStore } from "./param-store.ts";
import { uniformInit } from "./uniform-init.ts";

/** The convolutions the reference networks use; each stores `${name}.weight` and `${name}.bias`. */
export type ConvKind = "conv2d" | "conv3d" | "convTranspose3d";

/**
 * Registers a convolution's weight and bias with PyTorch's default initialisation: kaiming_uniform(a=√5) gives
 * bound = gain·√(3/fan_in) with gain = √(2/(1+5)), i.e. 1/√fan_in, and the bias uses the same bound. fan_in is
 * weight.size(1)·k^d in PyTorch layout: in·k^d for a conv, but out·k^d for a transposed conv.
 * tfjs layouts: conv2d [kh, kw, in, out], conv3d [kd, kh, kw, in, out], convTranspose3d [kd, kh, kw, out, in].
 */
export function addConv(
  store: ParamStore,
  rng: Rng,
  name: string,
  kind: ConvKind,
  inChannels: number,
  outChannels: number,
  kernel: number,
): void {
  const spatial = kind === "conv2d" ? [kernel, kernel] : [kernel, kernel, kernel];
  const shape =
    kind === "convTranspose3d" ? [...spatial, outChannels, inChannels] : [...spatial, inChannels, outChannels];
  const fanIn = (kind === "convTranspose3d" ? outChannels : inChannels) * spatial.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(fanIn);
  store.add(`${name}.weight`, uniformInit(rng, shape, bound), true);
  store.add(`${name}.bias`, uniformInit(rng, [outChannels], bound), true);
}

/**
 * Applies a registered conv2d/conv3d (channels-last input) plus bias. `stride` 1 uses 'same' padding (k=3 pad 1,
 * k=1 pad 0, as in the reference code); stride > 1 uses 'valid' (the V-Net's k2 s2 down-sampling).
 */
export function applyConv(store: ParamStore, name: string, x: tf.Tensor, stride = 1): tf.Tensor {
  const w = store.get(`${name}.weight`);
  const b = store.get(`${name}.bias`);
  const pad = stride === 1 ? "same" : "valid";
  const y =
    w.rank === 4
      ? tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad)
      : tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, stride, pad);
  return tf.add(y, b);
}

/**
 * ConvTranspose3d with kernel 2 and stride 2 (no overlap): out[n, 2d+a, 2h+b, 2w+c, o] =
 * Σ_i x[n, d, h, w, i]·W[a, b, c, o, i] + bias[o]. Computed as one matmul and a depth-to-space shuffle, which
 * every backend differentiates (tfjs has no gradient for conv3dTranspose) and which needs transposes of rank ≤ 6.
 */
export function applyConvTranspose3dK2(store: ParamStore, name: string, x: tf.Tensor): tf.Tensor {
  const w = store.get(`${name}.weight`); // [2, 2, 2, out, in]
  const b = store.get(`${name}.bias`);
  const [n, d, h, wd, cin] = x.shape;
  const cout = w.shape[3] as number;
  const wm = tf.reshape(tf.transpose(w, [4, 0, 1, 2, 3]), [cin, 8 * cout]); // columns ordered (a, b, c, o)
  const y = tf.matMul(tf.reshape(x, [n * d * h * wd, cin]), wm);
  // [n·d, h, w, a, b, (c, o)] → [n·d, a, h, b, w, (c, o)] → [n, 2d, 2h, 2w, o]
  const shuffled = tf.transpose(tf.reshape(y, [n * d, h, wd, 2, 2, 2 * cout]), [0, 3, 1, 4, 2, 5]);
  return tf.add(tf.reshape(shuffled, [n, 2 * d, 2 * h, 2 * wd, cout]), b);
}
