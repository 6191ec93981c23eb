import * as tf from "@tensorflow/tfjs-core";
import { BCP_LEAKY_RELU_GRAD } from "../../kernels/leaky-relu-grad.ts";

// Ported from tfjs-core 4.22 src/gradients (Apache-2.0): activations and (log-)softmax.
type T = tf.Tensor;

/** Gradients of ReLU, LeakyReLU, sigmoid, softmax and log-softmax. */
export const activationGradients: tf.GradConfig[] = [
  {
    kernelName: tf.Relu,
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as T, tf.cast(tf.step(x), "float32")) }),
  },
  {
    kernelName: tf.LeakyRelu,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => {
      const { alpha } = attrs as unknown as { alpha: number };
      // One fused pass where the backend has bcpseg's kernel (wasm, cpu); the composed form elsewhere.
      if (x.dtype === "float32" && tf.getKernel(BCP_LEAKY_RELU_GRAD, tf.getBackend()) !== undefined) {
        return { x: () => tf.engine().runKernel(BCP_LEAKY_RELU_GRAD, { dy: dy as T, x }, { alpha }) as T };
      }
      return { x: () => tf.where(tf.greater(x, 0), dy as T, tf.mul(dy as T, alpha)) };
    },
  },
  {
    kernelName: tf.Sigmoid,
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as T, tf.mul(y, tf.sub(1, y))) }),
  },
  {
    kernelName: tf.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => {
      const { dim } = attrs as unknown as { dim: number };
      const dyTimesY = tf.mul(dy as T, y);
      return { logits: () => tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y)) };
    },
  },
  {
    kernelName: tf.LogSoftmax,
    outputsToSave: [true],
    gradFunc: (dy, [value], attrs) => {
      const { axis } = attrs as unknown as { axis: number };
      return { logits: () => tf.sub(dy as T, tf.mul(tf.sum(dy as T, axis, true), tf.exp(value))) };
    },
  },
];
