import { Identity, type KernelBackend, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";

/**
 * Identity for the wasm backend that shares the input's memory (one more reference) instead of copying it, as the
 * cpu backend does. The engine clones every tensor it saves for the backward pass through Identity, so the copying
 * kernel copied every saved activation of a training step. Safe because no kernel writes into its inputs.
 */
export function identityNoCopyKernelConfig(backendName: string): KernelConfig {
  return {
    kernelName: Identity,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as Record<string, TensorInfo>;
      (backend as KernelBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  };
}
