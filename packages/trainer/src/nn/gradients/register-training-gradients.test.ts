import assert from "node:assert/strict";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { registerTrainingGradients, TRAINING_GRADIENTS } from "./register-training-gradients.ts";

await tf.setBackend("cpu");
registerTrainingGradients();

// Each case: tensors computed from one input x of the given shape, smooth near the test point. No chained ops:
// tfjs-core alone does not install them.
type Case = [string, number[], (x: tf.Tensor) => tf.Tensor[]];
const sq1 = (x: tf.Tensor) => tf.add(tf.square(x), 1);
const cases: Case[] = [
  [
    "add/sub/mul/div with broadcasting",
    [2, 3],
    (x) => [tf.div(tf.mul(tf.sub(tf.add(x, [1, 2, 3]), tf.sum(x, 0)), x), sq1(x))],
  ],
  [
    "squaredDifference/rsqrt/sqrt/exp/log/abs/neg",
    [4],
    (x) => [
      tf.neg(tf.squaredDifference(x, 0.3)),
      tf.rsqrt(sq1(x)),
      tf.log(tf.add(tf.exp(x), tf.abs(x))),
      tf.sqrt(sq1(x)),
    ],
  ],
  [
    "maximum/minimum/clip/where",
    [5],
    (x) => [
      tf.maximum(x, tf.mul(x, 0.5)),
      tf.minimum(x, 0.1),
      tf.clipByValue(x, -0.2, 0.9),
      tf.where(tf.greaterEqual(x, 0), x, tf.mul(x, 3)),
    ],
  ],
  [
    "relu/leakyRelu/sigmoid/softmax/logSoftmax",
    [2, 4],
    (x) => [tf.relu(x), tf.leakyRelu(x, 0.01), tf.sigmoid(x), tf.softmax(x), tf.logSoftmax(x)],
  ],
  [
    "sum/mean/max/min/moments",
    [3, 4],
    (x) => [tf.sum(tf.mul(x, x), 1), tf.mean(x, 0, true), tf.max(x, 1), tf.min(x, 0), tf.moments(x, [0]).variance],
  ],
  [
    "reshape/transpose/concat/slice/pad/stack/split/broadcastTo",
    [2, 3],
    (x) => {
      const y = tf.concat([tf.transpose(x), tf.reshape(x, [3, 2])], 1);
      const [a, b] = tf.split(
        tf.pad(tf.slice(y, [0, 1], [3, 3]), [
          [1, 0],
          [0, 1],
        ]),
        [2, 2],
        0,
      );
      return [tf.mul(tf.stack([a, b]), tf.broadcastTo(tf.reshape(tf.sum(x), [1, 1]), [2, 2, 4])), tf.tile(x, [2, 3])];
    },
  ],
  [
    "conv2d/maxPool/resizeBilinear/matMul",
    [1, 4, 4, 2],
    (x) => {
      const w = tf.tensor4d(
        Array.from({ length: 36 }, (_, i) => Math.sin(i)),
        [3, 3, 2, 2],
      );
      const y = tf.maxPool(tf.conv2d(x as tf.Tensor4D, w, 1, "same"), 2, 2, "valid");
      const z = tf.image.resizeBilinear(y, [4, 4], true);
      return [tf.matMul(tf.reshape(z, [8, 4]), tf.reshape(z, [8, 4]), true)];
    },
  ],
  [
    "conv3d/maxPool3d",
    [1, 4, 4, 4, 1],
    (x) => {
      const w = tf.tensor5d(
        Array.from({ length: 8 }, (_, i) => Math.cos(i)),
        [2, 2, 2, 1, 1],
      );
      return [tf.maxPool3d(tf.conv3d(tf.square(x) as tf.Tensor5D, w, 1, "same"), 2, 2, "valid")];
    },
  ],
];

describe("registerTrainingGradients", () => {
  it("is idempotent and registers only what is missing", () => {
    assert.deepEqual(registerTrainingGradients(), []);
    for (const c of TRAINING_GRADIENTS) assert.ok(tf.getGradient(c.kernelName), c.kernelName);
  });

  for (const [what, shape, f] of cases) {
    it(`matches central differences: ${what}`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const base = Float32Array.from({ length: n }, (_, i) => 0.9 * Math.sin(1.7 * i + 0.4));
      // Weight the outputs so every output element matters.
      const loss = (x: tf.Tensor) =>
        f(x)
          .map((y) => tf.sum(tf.mul(y, tf.reshape(tf.div(tf.range(1, y.size + 1), y.size), y.shape))))
          .reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      const g = tf.grad(loss)(tf.tensor(base, shape)).dataSync();
      const eps = 1e-3;
      for (let i = 0; i < n; i++) {
        const at = (d: number) => {
          const p = base.slice();
          p[i] += d;
          return tf.tidy(() => loss(tf.tensor(p, shape)).dataSync()[0]);
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        assert.ok(Math.abs(g[i] - fd) <= 0.02 * Math.abs(fd) + 0.01, `${what} [${i}]: ${g[i]} vs ${fd}`);
      }
    });
  }
});
