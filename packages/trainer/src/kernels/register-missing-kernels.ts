import {
  getKernel,
  type KernelConfig,
  LeakyRelu,
  registerKernel,
  SplitV,
  Sum,
  unregisterKernel,
} from "@tensorflow/tfjs-core";
import { BCP_BATCH_NORM_TRAIN, BCP_BATCH_NORM_TRAIN_GRAD, batchNormTrainKernelConfigs } from "./batch-norm-train.ts";
import { conv2dKernelConfigs } from "./conv2d-kernels.ts";
import { conv3dKernelConfigs } from "./conv3d-kernels.ts";
import { identityNoCopyKernelConfig } from "./identity-no-copy.ts";
import { leakyReluKernelConfig } from "./leaky-relu.ts";
import { BCP_LEAKY_RELU_GRAD, leakyReluGradKernelConfig } from "./leaky-relu-grad.ts";
import { maxPoolGradKernelConfigs } from "./max-pool-grad.ts";
import { currentResizeBilinearGrad, resizeBilinearGradShapeFix } from "./resize-bilinear-grad.ts";
import { splitLastAxisKernelConfig } from "./split-last-axis.ts";
import { sumLeadingAxesKernelConfig } from "./sum-leading-axes.ts";

/**
 * Which bcpseg kernels replace or add to each backend's own, and why (the timings behind each choice are in
 * BENCHMARKS.md, "Why the tfjs kernel plan"). wasm (tfjs 4.22): no Conv2DBackpropFilter at all;
 * Conv3DBackpropInputV2 gives wrong values on a 3x3x3 'same' conv and MaxPoolGrad / MaxPool3DGrad misroute windows
 * that are all negative; Conv2DBackpropInput, Conv3D and Conv3DBackpropFilterV2 are direct loops, slower than im2col
 * + its XNNPACK MatMul. Its Conv2D (XNNPACK) stays, and the stride-1 2-D gradients run on XNNPACK too
 * (conv-stride1.ts); other geometries use im2col. cpu: Conv2DBackpropFilter and Conv3DBackpropFilterV2 are slower
 * than im2col, and ResizeBilinearGrad labels non-square results with a transposed shape. Both: bcpseg's fused
 * training kernels (BatchNorm forward/backward, LeakyReLU gradient) that nn/ uses when the backend has them, and a
 * branch-free LeakyRelu (theirs branch on the sign). wasm also: a no-copy Identity (the engine clones every tensor
 * saved for backward), a strided SplitV for the last axis (the gradient of the U-Net's skip concat; its own goes
 * element by element) and a one-pass Sum over all but the last axis (bias gradients; its own transposes first).
 */
export const KERNEL_PLAN: Readonly<Record<string, readonly string[]>> = {
  wasm: [
    "Conv2DBackpropFilter",
    "Conv2DBackpropInput",
    "Conv3D",
    "Conv3DBackpropFilterV2",
    "Conv3DBackpropInputV2",
    "MaxPoolGrad",
    "MaxPool3DGrad",
    "Identity",
    "SplitV",
    "Sum",
    "LeakyRelu",
    BCP_BATCH_NORM_TRAIN,
    BCP_BATCH_NORM_TRAIN_GRAD,
    BCP_LEAKY_RELU_GRAD,
  ],
  cpu: [
    "Conv2DBackpropFilter",
    "Conv3DBackpropFilterV2",
    "ResizeBilinearGrad",
    "LeakyRelu",
    BCP_BATCH_NORM_TRAIN,
    BCP_BATCH_NORM_TRAIN_GRAD,
    BCP_LEAKY_RELU_GRAD,
  ],
};

const cache = new Map<string, Record<string, KernelConfig>>();

/** The bcpseg kernel configs for a backend, built once so re-registration can be detected by identity. */
export function configsFor(backendName: string): Record<string, KernelConfig> {
  let configs = cache.get(backendName);
  if (configs === undefined) {
    configs = {
      ...conv2dKernelConfigs(backendName),
      ...conv3dKernelConfigs(backendName),
      ...maxPoolGradKernelConfigs(backendName),
      ...batchNormTrainKernelConfigs(backendName),
      [BCP_LEAKY_RELU_GRAD]: leakyReluGradKernelConfig(backendName),
      Identity: identityNoCopyKernelConfig(backendName),
    };
    const split = getKernel(SplitV, backendName)?.kernelFunc;
    if (split !== undefined) configs.SplitV = splitLastAxisKernelConfig(backendName, split);
    const sum = getKernel(Sum, backendName)?.kernelFunc;
    if (sum !== undefined) configs.Sum = sumLeadingAxesKernelConfig(backendName, sum);
    const leaky = getKernel(LeakyRelu, backendName)?.kernelFunc;
    if (leaky !== undefined) configs.LeakyRelu = leakyReluKernelConfig(backendName, leaky);
    const resizeGrad = currentResizeBilinearGrad(backendName);
    if (backendName === "cpu" && resizeGrad !== undefined) {
      configs.ResizeBilinearGrad = resizeBilinearGradShapeFix(backendName, resizeGrad);
    }
    cache.set(backendName, configs);
  }
  return configs;
}

/**
 * Registers the bcpseg conv kernels of KERNEL_PLAN for `backendName` ("wasm" or "cpu"), replacing any existing ones.
 * Idempotent. Returns the kernel names now served by bcpseg code.
 */
export function registerMissingKernels(backendName: "wasm" | "cpu" = "wasm", only?: readonly string[]): string[] {
  const configs = configsFor(backendName);
  const names = only ?? KERNEL_PLAN[backendName] ?? [];
  for (const name of names) {
    const config = configs[name];
    if (config === undefined) throw new Error(`registerMissingKernels: no bcpseg kernel named ${name}`);
    const existing = getKernel(name, backendName);
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing !== undefined) unregisterKernel(name, backendName);
    // Keep the replaced kernel's setup: bcpseg's wrappers call tfjs's kernelFunc, whose wasm functions that setup binds
    // again on every new backend instance (selectBackend restarts wasm to change its threads).
    registerKernel({ ...config, setupFunc: config.setupFunc ?? existing?.setupFunc });
  }
  return [...names];
}
