import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, selectBackend } from "../backend/index.ts";

/**
 * Activates the run's tfjs backend through selectBackend (gradients and fast kernels included) and returns
 * its name. "auto" keeps a backend the caller already activated (tests pin cpu this way); otherwise it
 * picks the best available one.
 */
export async function useBackend(name: string): Promise<string> {
  if (name === "auto" && tf.engine().backendName) {
    const active = tf.getBackend() as BackendName;
    return (await selectBackend(active)).name;
  }
  return (await selectBackend(name as BackendName)).name;
}
