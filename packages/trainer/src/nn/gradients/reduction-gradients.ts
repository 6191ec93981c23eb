import * as tf from "@tensorflow/tfjs-core";

// Ported from tfjs-core 4.22 src/gradients (Apache-2.0): reductions.
type T = tf.Tensor;

/** dy reshaped so it broadcasts back over the reduced axes of x. */
function expandDy(dy: T, x: T, axis: unknown): T {
  const shape = x.shape.slice();
  for (const a of tf.util.parseAxisParam(axis as number | number[], x.shape)) shape[a] = 1;
  return tf.reshape(dy, shape);
}

/** The gradient of max/min: dy routed to every element equal to the extremum. */
function extremumGrad(dy: T, y: T, x: T, axis: unknown): T {
  return tf.mul(expandDy(dy, x, axis), tf.cast(tf.equal(x, expandDy(y, x, axis)), dy.dtype));
}

/** Gradients of sum, mean, max and min. */
export const reductionGradients: tf.GradConfig[] = [
  {
    kernelName: tf.Sum,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => ({ x: () => tf.mul(expandDy(dy as T, x, attrs.axis), tf.ones(x.shape, "float32")) }),
  },
  {
    kernelName: tf.Mean,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => {
      const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const count = axes.reduce((n, a) => n * x.shape[a], 1);
      return { x: () => tf.div(tf.mul(expandDy(dy as T, x, axes), tf.ones(x.shape, "float32")), count) };
    },
  },
  {
    kernelName: tf.Max,
    inputsToSave: ["x"],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => ({ x: () => extremumGrad(dy as T, y, x, attrs.reductionIndices) }),
  },
  {
    kernelName: tf.Min,
    inputsToSave: ["x"],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => ({ x: () => extremumGrad(dy as T, y, x, attrs.axis) }),
  },
];
