import type { TorchWeights } from "./arch-spec.ts";
import { ExportError } from "./export-error.ts";
import { type BatchNormParams, foldBatchNorm } from "./fold-batch-norm.ts";

/** Reads state-dict entries with their expected sizes; every miss is ERR_MODEL_WEIGHTS naming the key. */
export class WeightReader {
  readonly #w: TorchWeights;
  readonly #fn: string;

  constructor(weights: TorchWeights, fn: string) {
    this.#w = weights;
    this.#fn = fn;
  }

  /** The float32 tensor `key` of `shape`. */
  get(key: string, shape: readonly number[]): Float32Array {
    const v = this.#w[key];
    const n = shape.reduce((a, b) => a * b, 1);
    if (!(v instanceof Float32Array)) {
      throw new ExportError("ERR_MODEL_WEIGHTS", this.#fn, `weights["${key}"] is missing or not a Float32Array`);
    }
    if (v.length !== n) {
      throw new ExportError("ERR_MODEL_WEIGHTS", this.#fn, `weights["${key}"] has ${v.length} values, want [${shape}]`);
    }
    return v;
  }

  /** BatchNorm `prefix`.{weight, bias, running_mean, running_var}, each [c]. */
  bn(prefix: string, c: number): BatchNormParams {
    return {
      weight: this.get(`${prefix}.weight`, [c]),
      bias: this.get(`${prefix}.bias`, [c]),
      running_mean: this.get(`${prefix}.running_mean`, [c]),
      running_var: this.get(`${prefix}.running_var`, [c]),
    };
  }

  /** Conv `conv` (weight `shape`, PyTorch layout) with the BatchNorm `bn` folded in. */
  convBn(conv: string, bn: string, shape: readonly number[], transposed = false, eps = 1e-5) {
    const out = shape[transposed ? 1 : 0];
    const weight = this.get(`${conv}.weight`, shape);
    const bias = this.get(`${conv}.bias`, [out]);
    return { shape, ...foldBatchNorm(weight, shape, bias, this.bn(bn, out), { transposed, eps }) };
  }

  /** Conv `conv` without BatchNorm (copied). */
  conv(conv: string, shape: readonly number[]) {
    return {
      shape,
      weight: this.get(`${conv}.weight`, shape).slice(),
      bias: this.get(`${conv}.bias`, [shape[0]]).slice(),
    };
  }
}
