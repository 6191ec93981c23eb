import { type GradConfig, getGradient, registerGradient } from "@tensorflow/tfjs-core";
import { gradConfigs } from "./tfjs-gradients.generated.ts";

/**
 * Registers tfjs-core's gradient definitions (Conv2D, MaxPool, ResizeBilinear, Mean, ...). tfjs-core's Node entry
 * leaves them out (the @tensorflow/tfjs umbrella package normally registers them), so without this every tf.grad
 * fails with "gradient function not found". Kernels that already have a gradient keep it. Idempotent.
 */
export function registerGradients(): void {
  for (const config of gradConfigs as GradConfig[]) {
    if (getGradient(config.kernelName) === undefined) registerGradient(config);
  }
}
