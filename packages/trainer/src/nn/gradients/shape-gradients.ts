import * as tf from "@tensorflow/tfjs-core";

// Ported from tfjs-core 4.22 src/gradients (Apache-2.0): reshaping, slicing and joining.
type T = tf.Tensor;

/** Gradients of reshape, transpose, concat, slice, pad, broadcastTo, tile, stack/unstack and split. */
export const shapeGradients: tf.GradConfig[] = [
  { kernelName: tf.Reshape, inputsToSave: ["x"], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as T, x.shape) }) },
  {
    kernelName: tf.Transpose,
    gradFunc: (dy, _saved, attrs) => {
      const perm = attrs.perm as number[];
      return { x: () => tf.transpose(dy as T, tf.backend_util.getUndoAxesPermutation(perm)) };
    },
  },
  {
    kernelName: tf.Concat,
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0].shape)[0];
      const parts = tf.split(
        dy as T,
        saved.map((t) => t.shape[axis]),
        axis,
      );
      return Object.fromEntries(parts.map((t, i) => [i, () => t]));
    },
  },
  {
    kernelName: tf.Slice,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => {
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
      const paddings = x.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]);
      return { x: () => tf.pad(dy as T, paddings) };
    },
  },
  {
    kernelName: tf.PadV2,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => {
      const begin = (attrs.paddings as [number, number][]).map((p) => p[0]);
      return { x: () => tf.slice(dy as T, begin, x.shape) };
    },
  },
  {
    kernelName: tf.BroadcastTo,
    gradFunc: (dy, _saved, attrs) => {
      const inputShape = attrs.inputShape as number[];
      const shape = attrs.shape as number[];
      const offset = shape.length - inputShape.length;
      const axes = shape.map((_, i) => i).filter((i) => i < offset || (inputShape[i - offset] === 1 && shape[i] > 1));
      return { x: () => tf.reshape(tf.sum(dy as T, axes, true), inputShape) };
    },
  },
  {
    kernelName: tf.Tile,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => {
      // dy [r0·d0, r1·d1, ...] viewed as [r0, d0, r1, d1, ...]; the copies sit on the even axes.
      const reps = attrs.reps as number[];
      const split = x.shape.flatMap((d, i) => [reps[i], d]);
      const axes = x.shape.map((_, i) => 2 * i);
      return { x: () => tf.reshape(tf.sum(tf.reshape(dy as T, split), axes), x.shape) };
    },
  },
  {
    kernelName: tf.Pack,
    saveAllInputs: true,
    gradFunc: (dy, _saved, attrs) =>
      Object.fromEntries(tf.unstack(dy as T, attrs.axis as number).map((t, i) => [i, () => t])),
  },
  {
    kernelName: tf.Unpack,
    gradFunc: (dy, _saved, attrs) => ({ value: () => tf.stack(dy as T[], attrs.axis as number) }),
  },
  { kernelName: tf.SplitV, gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(dy as T[], attrs.axis as number) }) },
];
