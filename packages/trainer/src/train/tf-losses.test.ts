import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng, type MixLossOptions, mixLoss, supervisedLoss } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { registerTrainingGradients } from "../nn/index.ts";
import { tfMixLoss, tfSupervisedLoss } from "./tf-losses.ts";

await tf.setBackend("cpu");
registerTrainingGradients();

/** Random channels-first logits [N, C, ...spatial], targets and a box-ish mask. */
function inputs(shape: number[], seed: number) {
  const rng = createRng(seed);
  const [n, c, ...spatial] = shape;
  const s = spatial.reduce((a, b) => a * b, 1);
  const logits = Float32Array.from({ length: n * c * s }, () => 3 * rng.normal());
  const t1 = Int32Array.from({ length: n * s }, () => rng.randint(0, c));
  const t2 = Int32Array.from({ length: n * s }, () => rng.randint(0, c));
  const mask = Uint8Array.from({ length: n * s }, (_, i) => ((i % s) % 3 === 0 ? 0 : 1));
  return { logits, t1, t2, mask, n, c, spatial };
}

/** [N, C, ...] → [N, ..., C] (perm) and back. */
const toLast = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
const toFirst = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];

function assertNear(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs: number, what: string) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    assert.ok(d <= abs + rel * Math.abs(expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const CASES: Array<[string, number[], MixLossOptions]> = [
  ["ACDC batch-squared, labeled frame", [2, 4, 6, 5], { form: "batch-squared" }],
  ["ACDC batch-squared, unlabeled frame", [2, 4, 6, 5], { form: "batch-squared", frameIsUnlabeled: true }],
  [
    "ACDC pre-train weights, legacy mask bug",
    [3, 4, 4, 4],
    { form: "batch-squared", unlabeledWeight: 1, legacyMaskBug: true },
  ],
  ["LA per-sample, labeled frame", [2, 2, 4, 3, 5], { form: "per-sample" }],
  ["LA per-sample, unlabeled frame", [2, 2, 4, 3, 5], { form: "per-sample", frameIsUnlabeled: true }],
];

describe("tfMixLoss", () => {
  for (const [name, shape, options] of CASES) {
    it(`equals core mixLoss value and gradient: ${name}`, () => {
      const { logits, t1, t2, mask, n, spatial } = inputs(shape, shape.length * 7 + (options.frameIsUnlabeled ? 1 : 0));
      const ref = mixLoss(logits, t1, t2, mask, shape, options);
      const rank = shape.length;
      const before = tf.memory().numTensors;
      const [value, dice, ce, grad] = tf.tidy(() => {
        const x = tf.transpose(tf.tensor(logits, shape), toLast(rank));
        const ft = tf.tensor(t1, [n, ...spatial], "int32");
        const bt = tf.tensor(t2, [n, ...spatial], "int32");
        const m = tf.tensor(Float32Array.from(mask), [n, ...spatial]);
        const loss = tfMixLoss(x, ft, bt, m, options);
        const g = tf.grad((l: tf.Tensor) => tfMixLoss(l, ft, bt, m, options).value)(x);
        return [
          loss.value.dataSync()[0],
          loss.dice.dataSync()[0],
          loss.ce.dataSync()[0],
          tf.transpose(g, toFirst(rank)).dataSync(),
        ];
      });
      assert.equal(tf.memory().numTensors, before);
      assertNear([value, dice, ce], [ref.value, ref.dice, ref.ce], 1e-5, 1e-6, "value");
      const scale = Math.max(...Array.from(ref.grad, Math.abs));
      assertNear(grad, ref.grad, 1e-4, 1e-5 * scale, "grad");
    });
  }

  it("gives 0 for an empty region's CE (all-ones mask) like core", () => {
    const shape = [1, 4, 4, 4];
    const { logits, t1, t2 } = inputs(shape, 3);
    const mask = new Uint8Array(16).fill(1);
    const ref = mixLoss(logits, t1, t2, mask, shape, { form: "batch-squared" });
    const v = tf.tidy(
      () =>
        tfMixLoss(
          tf.transpose(tf.tensor(logits, shape), [0, 2, 3, 1]),
          tf.tensor(t1, [1, 4, 4], "int32"),
          tf.tensor(t2, [1, 4, 4], "int32"),
          tf.ones([1, 4, 4]),
          { form: "batch-squared" },
        ).value.dataSync()[0],
    );
    assertNear([v], [ref.value], 1e-5, 1e-6, "value");
  });

  it("rejects mismatched shapes and forms with named errors", () => {
    const x = tf.zeros([1, 4, 4, 2]);
    const t = tf.zeros([1, 4, 4], "int32");
    assert.throws(() => tfMixLoss(x, t, tf.zeros([1, 4, 3], "int32"), tf.ones([1, 4, 4]), { form: "per-sample" }), {
      code: "ERR_SHAPE",
    });
    assert.throws(() => tfMixLoss(x, t, t, tf.ones([1, 4, 4]), { form: "per-sample", legacyMaskBug: true }), {
      code: "ERR_ARGUMENT",
    });
    tf.dispose([x, t]);
  });
});

describe("tfSupervisedLoss", () => {
  for (const form of ["per-sample", "batch-squared"] as const) {
    it(`equals core supervisedLoss value and gradient (${form})`, () => {
      const shape = [2, 2, 4, 4, 3];
      const { logits, t1, n, spatial } = inputs(shape, 11);
      const ref = supervisedLoss(logits, t1, shape, { form });
      const [value, grad] = tf.tidy(() => {
        const x = tf.transpose(tf.tensor(logits, shape), toLast(5));
        const t = tf.tensor(t1, [n, ...spatial], "int32");
        const g = tf.grad((l: tf.Tensor) => tfSupervisedLoss(l, t, { form }).value)(x);
        return [tfSupervisedLoss(x, t, { form }).value.dataSync()[0], tf.transpose(g, toFirst(5)).dataSync()];
      });
      assertNear([value], [ref.value], 1e-5, 1e-6, "value");
      const scale = Math.max(...Array.from(ref.grad, Math.abs));
      assertNear(grad, ref.grad, 1e-4, 1e-5 * scale, "grad");
    });
  }
});
