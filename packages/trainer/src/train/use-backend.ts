import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, selectBackend, type WasmThreads } from "../backend/index.ts";

/**
 * Activates the run's tfjs backend through selectBackend (gradients and fast kernels included) and returns
 * its name. "auto" keeps a backend the caller already activated (tests pin cpu this way); otherwise it
 * picks the best available one. `threads` goes to the wasm backend (see TrainConfig.threads).
 */
export async function useBackend(name: string, threads?: WasmThreads): Promise<string> {
  if (name === "auto" && tf.engine().backendName) {
    const active = tf.getBackend() as BackendName;
    return (await selectBackend(active, { threads: active === "wasm" ? threads : undefined })).name;
  }
  return (await selectBackend(name as BackendName, { threads })).name;
}
