/** Round half to even, as ONNX QuantizeLinear rounds. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Symmetric per-channel int8 quantisation of a weight along `axis` (0 for conv [out, in, ...k], 1 for a transposed
 * conv [in, out, ...k]): s_c = max|w_c| / qmax (1 for an all-zero channel), q = clamp(round(w / s_c), −qmax, qmax),
 * zero point 0, qmax 127 or, with `reduceRange`, 63 (7-bit weights). Returns the int8 values (same layout) and the
 * float32 scales [C].
 */
export function quantizeWeightPerChannel(
  weight: Float32Array,
  shape: readonly number[],
  axis: 0 | 1,
  reduceRange = false,
): { q: Int8Array; scale: Float32Array } {
  const qmax = reduceRange ? 63 : 127;
  const c = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const amax = new Float64Array(c);
  const idx = (o: number, k: number) => (o * c + k) * inner;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < c; k++) {
      for (let i = idx(o, k), e = i + inner; i < e; i++) amax[k] = Math.max(amax[k], Math.abs(weight[i]));
    }
  }
  const scale = new Float32Array(c);
  for (let k = 0; k < c; k++) scale[k] = Math.fround(amax[k] / qmax) > 0 ? amax[k] / qmax : 1; // all-zero or subnormal
  const q = new Int8Array(weight.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < c; k++) {
      for (let i = idx(o, k), e = i + inner; i < e; i++) {
        q[i] = Math.max(-qmax, Math.min(qmax, roundHalfEven(weight[i] / scale[k])));
      }
    }
  }
  return { q, scale };
}

/**
 * Asymmetric uint8 parameters for activations in [lo, hi]: the range is widened to contain 0 (so zero is exact,
 * as padding needs), s = (hi − lo) / 255, z = clamp(round(−lo / s), 0, 255). A ReLU output (lo = 0) gets z = 0.
 */
export function uint8Params(lo: number, hi: number): { scale: number; zeroPoint: number } {
  lo = Math.min(lo, 0);
  hi = Math.max(hi, 0);
  if (!(hi - lo > 0) || !Number.isFinite(hi - lo)) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.max(0, Math.min(255, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint };
}

/** int32 bias for a QDQ conv: q_c = round(b_c / (s_x · s_w,c)) with those float32 scales (returned). */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScale: Float32Array) {
  const scale = new Float32Array(bias.length);
  const q = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    scale[c] = Math.fround(inputScale) * weightScale[c];
    q[c] = Math.max(-2147483647, Math.min(2147483647, roundHalfEven(bias[c] / scale[c])));
  }
  return { q, scale };
}
