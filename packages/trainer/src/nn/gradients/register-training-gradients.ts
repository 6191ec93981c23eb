import * as tf from "@tensorflow/tfjs-core";
import { activationGradients } from "./activation-gradients.ts";
import { arithmeticGradients } from "./arithmetic-gradients.ts";
import { convGradients } from "./conv-gradients.ts";
import { fusedGradients } from "./fused-gradients.ts";
import { reductionGradients } from "./reduction-gradients.ts";
import { shapeGradients } from "./shape-gradients.ts";

/** Every gradient this module can register, by kernel name. */
export const TRAINING_GRADIENTS: readonly tf.GradConfig[] = [
  ...arithmeticGradients,
  ...activationGradients,
  ...reductionGradients,
  ...shapeGradients,
  ...convGradients,
  ...fusedGradients,
];

/**
 * Registers the gradients the networks and losses need. `@tensorflow/tfjs-core`'s Node entry registers none (the
 * `@tensorflow/tfjs` bundle does that, and core's ESM `register_all_gradients` does not load on Node), so training
 * with core alone needs this. Idempotent; a gradient already registered (by tfjs or someone else) is kept.
 * Returns the kernel names it registered now.
 */
export function registerTrainingGradients(): string[] {
  const added: string[] = [];
  for (const config of TRAINING_GRADIENTS) {
    if (tf.getGradient(config.kernelName) !== undefined) continue;
    tf.registerGradient(config);
    added.push(config.kernelName);
  }
  return added;
}
