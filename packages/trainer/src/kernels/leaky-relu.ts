import { type KernelConfig, type KernelFunc, LeakyRelu, type TensorInfo } from "@tensorflow/tfjs-core";
import { kernelIo } from "./kernel-io.ts";

/**
 * LeakyRelu on float32 without a branch: y = x·[alpha, 1][x > 0] (a table lookup, exact for every value). The wasm
 * and cpu backends' own kernels branch on the sign, which random activations mispredict half the time (~2x slower).
 * Other dtypes go to `original`.
 */
export function leakyReluKernelConfig(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: LeakyRelu,
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as Record<string, TensorInfo>;
      if (x.dtype !== "float32") return original(args);
      const alpha = (args.attrs as { alpha: number }).alpha;
      const io = kernelIo(args.backend, backendName);
      const y = io.alloc([...x.shape]);
      const [v, out] = [io.view(x), io.view(y)];
      const factor = new Float32Array([alpha, 1]); // float32 alpha: the product rounds as a float32 multiply
      for (let i = 0; i < out.length; i++) out[i] = v[i] * factor[+(v[i] > 0)];
      return y;
    },
  };
}
