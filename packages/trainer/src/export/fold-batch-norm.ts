import { ExportError } from "./export-error.ts";

/** BatchNorm parameters and running statistics, each [C] float32 (PyTorch names). */
export interface BatchNormParams {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly running_mean: Float32Array;
  readonly running_var: Float32Array;
}

/**
 * Folds an eval-mode BatchNorm into the convolution before it. Weight in PyTorch layout: [out, in, ...k] for a
 * conv, [in, out, ...k] for a transposed conv (`transposed`); bias [out]. Returns fresh float32 arrays.
 *
 * BN(conv(x)) = γ·(w∗x + b − μ)/√(σ² + ε) + β, so with a_c = γ_c/√(σ²_c + ε):
 * w'_c = a_c·w_c and b'_c = (b_c − μ_c)·a_c + β_c (computed in float64, rounded once to float32).
 */
export function foldBatchNorm(
  weight: Float32Array,
  shape: readonly number[],
  bias: Float32Array,
  bn: BatchNormParams,
  options: { transposed?: boolean; eps?: number } = {},
): { weight: Float32Array; bias: Float32Array } {
  const eps = options.eps ?? 1e-5;
  const axis = options.transposed ? 1 : 0;
  const out = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  for (const [k, v] of Object.entries({ conv_bias: bias, ...bn })) {
    if (v.length !== out)
      throw new ExportError("ERR_MODEL_WEIGHTS", "foldBatchNorm", `${k} has ${v.length} values, want ${out}`);
  }
  if (weight.length !== outer * out * inner) {
    throw new ExportError("ERR_MODEL_WEIGHTS", "foldBatchNorm", `weight has ${weight.length} values, shape [${shape}]`);
  }
  const a = new Float64Array(out);
  const b = new Float32Array(out);
  for (let c = 0; c < out; c++) {
    a[c] = bn.weight[c] / Math.sqrt(bn.running_var[c] + eps);
    b[c] = (bias[c] - bn.running_mean[c]) * a[c] + bn.bias[c];
  }
  const w = new Float32Array(weight.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < out; c++) {
      const base = (o * out + c) * inner;
      for (let i = 0; i < inner; i++) w[base + i] = weight[base + i] * a[c];
    }
  }
  return { weight: w, bias: b };
}
