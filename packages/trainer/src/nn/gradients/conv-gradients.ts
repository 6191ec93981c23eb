import * as tf from "@tensorflow/tfjs-core";

// Ported from tfjs-core 4.22 src/gradients (Apache-2.0): convolution, pooling, resizing and matmul. The backward
// kernels run through the engine so a backend may register faster ones (Conv2DBackpropFilter, MaxPoolGrad, ...).
type T = tf.Tensor;
const run = (kernel: string, inputs: tf.NamedTensorMap, attrs: object): T =>
  tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as T;

function checkDilations(kernel: string, dilations: unknown): void {
  const d = dilations === undefined ? [1] : Array.isArray(dilations) ? dilations : [dilations];
  if (d.some((v) => v !== 1)) throw new Error(`gradient of ${kernel}: dilation rates > 1 are not supported`);
}

/** Gradients of conv2d, conv3d, max pooling, bilinear resize and batched matmul. */
export const convGradients: tf.GradConfig[] = [
  {
    kernelName: tf.Conv2D,
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, [x, filter], attrs) => {
      const { dilations, strides, pad, dataFormat, dimRoundingMode } = attrs as tf.NamedAttrMap;
      checkDilations("Conv2D", dilations);
      const common = { strides, pad, dataFormat, dimRoundingMode };
      return {
        x: () => run(tf.Conv2DBackpropInput, { dy: dy as T, filter }, { ...common, inputShape: x.shape }),
        filter: () => run(tf.Conv2DBackpropFilter, { x, dy: dy as T }, { ...common, filterShape: filter.shape }),
      };
    },
  },
  {
    kernelName: tf.Conv3D,
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, [x, filter], attrs) => {
      const { dilations, strides, pad } = attrs as tf.NamedAttrMap;
      checkDilations("Conv3D", dilations);
      return {
        x: () => run(tf.Conv3DBackpropInputV2, { dy: dy as T, filter }, { strides, pad, inputShape: x.shape }),
        filter: () => run(tf.Conv3DBackpropFilterV2, { x, dy: dy as T }, { strides, pad, filterShape: filter.shape }),
      };
    },
  },
  {
    kernelName: tf.MaxPool,
    inputsToSave: ["x"],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => {
      const { filterSize, strides, pad, dimRoundingMode } = attrs as tf.NamedAttrMap;
      return {
        x: () =>
          run(tf.MaxPoolGrad, { dy: dy as T, input: x, output: y }, { filterSize, strides, pad, dimRoundingMode }),
      };
    },
  },
  {
    kernelName: tf.MaxPool3D,
    inputsToSave: ["x"],
    outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => {
      const { filterSize, strides, pad, dimRoundingMode } = attrs as tf.NamedAttrMap;
      const a = { filterSize, strides, pad, dimRoundingMode };
      return { x: () => run(tf.MaxPool3DGrad, { dy: dy as T, input: x, output: y }, a) };
    },
  },
  {
    kernelName: tf.ResizeBilinear,
    inputsToSave: ["images"],
    gradFunc: (dy, [images], attrs) => ({ images: () => run(tf.ResizeBilinearGrad, { dy: dy as T, images }, attrs) }),
  },
  {
    kernelName: tf.BatchMatMul,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b], attrs) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const g = dy as T;
      if (!transposeA && !transposeB) return { a: () => tf.matMul(g, b, false, true), b: () => tf.matMul(a, g, true) };
      if (!transposeA) return { a: () => tf.matMul(g, b), b: () => tf.matMul(g, a, true) };
      if (!transposeB) return { a: () => tf.matMul(b, g, false, true), b: () => tf.matMul(a, g) };
      return { a: () => tf.matMul(b, g, true, true), b: () => tf.matMul(g, a, true, true) };
    },
  },
];
