import * as tf from "@tensorflow/tfjs-core";

/** Sums a broadcast gradient back to an operand's shape (the adjoint of broadcasting). */
export function reduceToShape(dy: tf.Tensor, shape: number[], outShape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, outShape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}
