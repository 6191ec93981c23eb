import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { registerMissingKernels } from "../kernels/index.ts";
import { TrainError } from "./train-error.ts";

/**
 * Activates a tfjs backend by name and returns the active one. "auto" keeps a backend the caller already
 * chose and falls back to "cpu"; "wasm" is loaded on demand.
 */
export async function useBackend(name: string): Promise<string> {
  if (name === "auto") {
    // getBackend() initialises the best registered backend when none is active yet (cpu unless wasm was loaded).
    if (!tf.getBackend()) await tf.setBackend("cpu");
    return ready();
  }
  if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  const ok = tf.findBackendFactory(name) !== null && (await tf.setBackend(name));
  if (!ok) throw new TrainError("ERR_TRAIN_BACKEND", `backend "${name}" is not available`);
  return ready();
}

/** Waits for the backend and gives cpu / wasm the fast im2col convolution kernels (see kernels/). */
async function ready(): Promise<string> {
  await tf.ready();
  const name = tf.getBackend();
  if (name === "cpu" || name === "wasm") registerMissingKernels(name);
  return name;
}
