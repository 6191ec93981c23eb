import { registerTrainingGradients } from "../nn/gradients/register-training-gradients.ts";

/**
 * Registers the gradients training needs (see nn/gradients). tfjs-core's Node entry ships none (the
 * @tensorflow/tfjs umbrella package normally registers them), so without this every tf.grad fails with
 * "gradient function not found". Kernels that already have a gradient keep it. Idempotent.
 */
export function registerGradients(): void {
  registerTrainingGradients();
}
