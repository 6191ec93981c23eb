import assert from "node:assert/strict";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { boxMask, createRng, emaUpdate, lossMask } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { loadBatch } from "../data/index.ts";
import type { NamedWeights } from "../nn/index.ts";
import { openTrainData } from "./open-data.ts";
import { preset } from "./preset.ts";
import { Run } from "./run-training.ts";
import { sampleTransform } from "./sample-transform.ts";
import { tfMixLoss } from "./tf-losses.ts";
import { selfTrainStep } from "./train-steps.ts";

await tf.setBackend("cpu");

const config = preset("synth2d", {
  data: { synthPatients: 8, synthValPatients: 1, synthSize: [32, 32], labeledFraction: 0.25 },
  model: { width: 0.125 },
  patchSize: [32, 32],
  batch: { labeled: 2, unlabeled: 2 },
  backend: "cpu",
  teacherMode: "eval",
});

/** A run in self-training (teacher = student = the initial weights) and one transformed batch. */
async function selfTrainRun() {
  const data = await openTrainData(config);
  const run = new Run(config, data, "cpu");
  run.beginSelfTrain(run.snapshot());
  const batch = await loadBatch(data.train, run.sampler.next(), sampleTransform(config, run.augmentRng));
  return { run, batch };
}

/** Weights with the output convolution replaced: zero kernel, the given per-class bias (constant logits). */
function constantLogits(w: NamedWeights, bias: number[]): NamedWeights {
  return {
    ...w,
    "decoder.out_conv.weight": new Float32Array(w["decoder.out_conv.weight"].length),
    "decoder.out_conv.bias": Float32Array.from(bias),
  };
}

describe("selfTrainStep", () => {
  it("updates the teacher by EMA with the student's weights after the SGD step", async () => {
    const { run, batch } = await selfTrainRun();
    const teacher = run.teacher;
    assert.ok(teacher !== undefined);
    // Make teacher and student differ so that the average is visible.
    const student0 = run.student.getWeights();
    const shifted: NamedWeights = {};
    for (const [k, v] of Object.entries(student0)) {
      shifted[k] = v instanceof Float32Array ? v.map((x) => x + 0.5) : v;
    }
    teacher.setWeights(shifted);
    selfTrainStep(run.context(), batch);
    const student1 = run.student.getWeights();
    const want = emaUpdate(shifted, student1, config.ema.decay, { scope: config.ema.scope });
    const before = emaUpdate(shifted, student0, config.ema.decay, { scope: config.ema.scope });
    const got = teacher.getWeights();
    const key = "encoder.in_conv.conv_conv.0.weight";
    assert.notDeepEqual(student1[key], student0[key], "the step changed the student");
    for (const k of Object.keys(got)) assert.deepEqual(got[k], want[k], k);
    assert.notDeepEqual(got[key], before[key], "not averaged with the pre-step student");
    run.dispose();
  });

  it("reads pseudo-label classes from the last (channel) axis of the teacher's logits", async () => {
    const { run, batch } = await selfTrainRun();
    const teacher = run.teacher;
    assert.ok(teacher !== undefined);
    // Teacher: class 3 everywhere. Student: the same unequal logits at every pixel (dropout cannot touch them),
    // so its loss depends on the targets only, and on which class they name.
    const studentLogits = [0, 1, 2, 3];
    teacher.setWeights(constantLogits(teacher.getWeights(), [0, 0, 0, 5]));
    run.student.setWeights(constantLogits(run.student.getWeights(), studentLogits));
    const maskRng = createRng(run.maskRng.state());
    const stats = selfTrainStep(run.context(), batch);

    const [h, w] = config.patchSize;
    const n = h * w;
    const m = boxMask(config.patchSize, { ratio: config.maskRatio, rng: maskRng }).mask;
    const lab = batch.labels;
    const three = new Int32Array(n).fill(3);
    // §3.1: unlabeled frame (plab_a) with lab_a in the box, weights 0.5 / 1; labeled frame lab_b with plab_b boxed.
    const expected = tf.tidy(() => {
      const logits = tf.tile(tf.tensor(studentLogits, [1, 1, 1, config.classes]), [1, h, w, 1]);
      const t = (x: Int32Array) => tf.tensor(x, [1, h, w], "int32");
      const mask = tf.tensor(Float32Array.from(lossMask(m, config.patchSize, 1)), [1, h, w]);
      const opts = { form: config.diceForm, labeledWeight: 1, unlabeledWeight: config.uWeight };
      const unl = tfMixLoss(logits, t(three), t(lab.slice(0, n)), mask, { ...opts, frameIsUnlabeled: true });
      const l = tfMixLoss(logits, t(lab.slice(n, 2 * n)), t(three), mask, opts);
      return tf.add(unl.value, l.value).dataSync()[0];
    });
    assert.ok(Math.abs(stats.loss - expected) < 1e-5, `loss ${stats.loss}, expected ${expected}`);
    run.dispose();
  });

  it("starts from the best pre-train checkpoint: teacher and student its weights, its optimizer state (ACDC)", async () => {
    const data = await openTrainData(config);
    const run = new Run(config, data, "cpu");
    const best = run.snapshot();
    const weights: NamedWeights = {};
    for (const [k, v] of Object.entries(best.student)) weights[k] = v instanceof Float32Array ? v.map((x) => x + 1) : v;
    const momentum = Object.fromEntries(Object.entries(best.optimizer ?? {}).map(([k, v]) => [k, v.map(() => 0.25)]));
    run.beginSelfTrain({ ...best, student: weights, optimizer: momentum });
    assert.deepEqual(run.student.getWeights(), weights);
    assert.deepEqual(run.teacher?.getWeights(), weights);
    assert.deepEqual(run.optimizer.getState(), momentum);
    assert.deepEqual([run.stage, run.iteration], ["selftrain", 0]);
    run.dispose();
  });
});
