import * as tf from "@tensorflow/tfjs-core";
import { reduceToShape } from "./reduce-to-shape.ts";

// Ported from tfjs-core 4.22 src/gradients (Apache-2.0): element-wise and broadcasting arithmetic.
type T = tf.Tensor;
const f32 = (x: T) => tf.cast(x, "float32");
const outShape = (a: T, b: T) => tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);

/** Gradients of the element-wise arithmetic kernels (comparisons and rounding have zero gradient). */
export const arithmeticGradients: tf.GradConfig[] = [
  {
    kernelName: tf.Add,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]) => {
      const s = outShape(a, b);
      return { a: () => reduceToShape(dy as T, a.shape, s), b: () => reduceToShape(dy as T, b.shape, s) };
    },
  },
  {
    kernelName: tf.AddN,
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries(saved.map((_, i) => [i, () => (dy as T).clone()])),
  },
  {
    kernelName: tf.Sub,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]) => {
      const s = outShape(a, b);
      return {
        a: () => reduceToShape(dy as T, a.shape, s),
        b: () => tf.neg(reduceToShape(dy as T, b.shape, s)),
      };
    },
  },
  {
    kernelName: tf.Multiply,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]) => {
      const s = outShape(a, b);
      return {
        a: () => reduceToShape(tf.mul(dy as T, f32(b)), a.shape, s),
        b: () => reduceToShape(tf.mul(dy as T, f32(a)), b.shape, s),
      };
    },
  },
  {
    kernelName: tf.RealDiv,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]) => {
      const s = outShape(a, b);
      return {
        a: () => reduceToShape(tf.div(dy as T, f32(b)), a.shape, s),
        b: () => tf.neg(tf.div(reduceToShape(tf.mul(dy as T, f32(a)), b.shape, s), f32(tf.square(b)))),
      };
    },
  },
  {
    kernelName: tf.SquaredDifference,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]) => ({
      a: () => tf.mul(dy as T, tf.mul(2, tf.sub(a, b))),
      b: () => tf.mul(dy as T, tf.mul(2, tf.sub(b, a))),
    }),
  },
  {
    kernelName: tf.Maximum,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]) => ({
      a: () => tf.mul(dy as T, f32(tf.greaterEqual(a, b))),
      b: () => tf.mul(dy as T, f32(tf.less(a, b))),
    }),
  },
  {
    kernelName: tf.Minimum,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, [a, b]) => ({
      a: () => tf.mul(dy as T, f32(tf.lessEqual(a, b))),
      b: () => tf.mul(dy as T, f32(tf.greater(a, b))),
    }),
  },
  { kernelName: tf.Neg, gradFunc: (dy) => ({ x: () => tf.neg(dy as T) }) },
  {
    kernelName: tf.Square,
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as T, tf.mul(f32(x), 2)) }),
  },
  {
    kernelName: tf.Sqrt,
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as T, tf.mul(tf.sqrt(f32(x)), 2)) }),
  },
  {
    kernelName: tf.Rsqrt,
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => tf.neg(tf.div(dy as T, tf.mul(tf.pow(x, 1.5), 2))) }),
  },
  { kernelName: tf.Exp, outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as T, y) }) },
  { kernelName: tf.Log, inputsToSave: ["x"], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as T, f32(x)) }) },
  {
    kernelName: tf.Abs,
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as T, tf.step(f32(x), -1)) }),
  },
  {
    kernelName: tf.ClipByValue,
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => {
      const { clipValueMin, clipValueMax } = attrs as unknown as { clipValueMin: number; clipValueMax: number };
      const inside = tf.logicalAnd(tf.greaterEqual(x, clipValueMin), tf.lessEqual(x, clipValueMax));
      return { x: () => tf.where(inside, dy as T, tf.zerosLike(dy as T)) };
    },
  },
  {
    kernelName: tf.Select,
    inputsToSave: ["condition"],
    gradFunc: (dy, [condition]) => ({
      condition: () => f32(tf.zerosLike(condition)),
      t: () => tf.mul(dy as T, tf.cast(condition, (dy as T).dtype)),
      e: () => tf.mul(dy as T, tf.cast(tf.logicalNot(condition), (dy as T).dtype)),
    }),
  },
  ...[tf.Greater, tf.GreaterEqual, tf.Less, tf.LessEqual, tf.Equal, tf.NotEqual].map(
    (kernelName): tf.GradConfig => ({
      kernelName,
      inputsToSave: ["a", "b"],
      gradFunc: (_dy, [a, b]) => ({ a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) }),
    }),
  ),
  ...[tf.Floor, tf.Round, tf.Sign, tf.Step].map(
    (kernelName): tf.GradConfig => ({ kernelName, gradFunc: (dy) => ({ x: () => tf.zerosLike(dy as T) }) }),
  ),
  { kernelName: tf.Cast, gradFunc: (dy) => ({ x: () => (dy as T).clone() }) },
  { kernelName: tf.Identity, gradFunc: (dy) => ({ x: () => f32(dy as T) }) },
];
