import { ShapeError } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { BCP_BATCH_NORM_TRAIN } from "../kernels/batch-norm-train.ts";
import type { ForwardContext } from "./forward-context.ts";
import type { ParamStore } from "./param-store.ts";

/** PyTorch BatchNorm defaults. */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/** Registers a BatchNorm's weight (1), bias (0), running_mean (0), running_var (1) and num_batches_tracked (0). */
export function addBatchNorm(store: ParamStore, name: string, channels: number): void {
  store.add(`${name}.weight`, tf.ones([channels]), true);
  store.add(`${name}.bias`, tf.zeros([channels]), true);
  store.add(`${name}.running_mean`, tf.zeros([channels]), false);
  store.add(`${name}.running_var`, tf.ones([channels]), false);
  store.add(`${name}.num_batches_tracked`, tf.scalar(0, "int32"), false);
}

/**
 * BatchNorm over the last (channel) axis of a channels-last tensor, as PyTorch's BatchNorm{2,3}d.
 * Training: μ, σ² = mean and biased variance over the n = N·spatial values of each channel;
 * y = (x − μ)/√(σ² + ε)·γ + β, differentiated through μ and σ² by autodiff. Running statistics (when
 * ctx.updateStats): r_μ ← (1 − m)·r_μ + m·μ and r_σ² ← (1 − m)·r_σ² + m·σ²·n/(n − 1) (unbiased), m = 0.1,
 * num_batches_tracked += 1. Eval: y = (x − r_μ)/√(r_σ² + ε)·γ + β = x·s + (β − r_μ·s), s = γ/√(r_σ² + ε).
 * Where the backend has bcpseg's fused BcpBatchNormTrain kernel (wasm, cpu), training runs it (one kernel forward,
 * one backward, same formulas); elsewhere tf.moments and autodiff.
 */
export function applyBatchNorm(store: ParamStore, name: string, x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
  const gamma = store.get(`${name}.weight`);
  const beta = store.get(`${name}.bias`);
  const runMean = store.get(`${name}.running_mean`);
  const runVar = store.get(`${name}.running_var`);
  if (!ctx.training) {
    // Folded into one scale and shift per channel; plain ops so it differentiates on any backend.
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(runVar, BN_EPS)));
    return tf.add(tf.mul(x, scale), tf.sub(beta, tf.mul(runMean, scale)));
  }

  const channels = x.shape[x.rank - 1];
  const n = x.size / channels;
  if (n < 2) {
    throw new ShapeError("batchNorm", name, `needs more than one value per channel in training, got [${x.shape}]`);
  }
  const fused = x.dtype === "float32" && tf.getKernel(BCP_BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
  let y: tf.Tensor | null = null;
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (fused) {
    const inputs = { x, gamma, beta };
    [y, mean, variance] = tf
      .engine()
      .runKernel(BCP_BATCH_NORM_TRAIN, inputs, { varianceEpsilon: BN_EPS }) as tf.Tensor[];
  } else {
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    ({ mean, variance } = tf.moments(x, axes));
  }
  if (ctx.updateStats) {
    tf.tidy(() => {
      const m = BN_MOMENTUM;
      // Running statistics feed no output, so no gradient reaches them even though the tape records this.
      const unbiased = tf.mul(variance, n / (n - 1));
      runMean.assign(tf.add(tf.mul(runMean, 1 - m), tf.mul(mean, m)));
      runVar.assign(tf.add(tf.mul(runVar, 1 - m), tf.mul(unbiased, m)));
      const count = store.get(`${name}.num_batches_tracked`);
      count.assign(tf.add(count, tf.scalar(1, "int32")));
    });
  }
  return y ?? tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPS))), gamma), beta);
}
