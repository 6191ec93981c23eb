import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { loadBatch } from "../data/index.ts";
import type { NamedWeights } from "../nn/param-store.ts";
import type { TrainConfigInput } from "./config.ts";
import { openTrainData } from "./open-data.ts";
import { OrtEngine } from "./ort-engine.ts";
import { type DeepPartial, preset } from "./preset.ts";
import { Run } from "./run-training.ts";
import { sampleTransform } from "./sample-transform.ts";
import { pretrainStep, selfTrainStep } from "./train-steps.ts";

await tf.setBackend("cpu");

/**
 * Largest |a − b| / max |b| per tensor, and the worst name. The gradient of a conv bias that feeds a BatchNorm is zero
 * up to rounding, so its momentum (the weight decay term plus that rounding) is compared on the scale of all buffers.
 */
function worst(a: NamedWeights, b: NamedWeights, floor = 1e-12): { name: string; rel: number } {
  let out = { name: "", rel: 0 };
  for (const name of Object.keys(b)) {
    const x = a[name];
    const y = b[name];
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < y.length; i++) {
      scale = Math.max(scale, Math.abs(y[i]));
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
    }
    const rel = diff / Math.max(scale, floor);
    if (rel > out.rel) out = { name, rel };
  }
  return out;
}

const cases: Array<[string, "synth2d" | "synth3d", DeepPartial<TrainConfigInput>]> = [
  [
    "U-Net (ACDC losses: batch-squared Dice, mix-loss pre-training)",
    "synth2d",
    {
      data: { synthPatients: 8, synthValPatients: 1, synthSize: [32, 32], labeledFraction: 0.25 },
      model: { width: 0.25 },
      patchSize: [32, 32],
      batch: { labeled: 4, unlabeled: 4 },
    },
  ],
  [
    "U-Net (legacy mask bug, eval-mode teacher)",
    "synth2d",
    {
      data: { synthPatients: 8, synthValPatients: 1, synthSize: [32, 32], labeledFraction: 0.25 },
      model: { width: 0.125 },
      patchSize: [32, 32],
      batch: { labeled: 2, unlabeled: 2 },
      quirks: { legacyMaskBug: true },
      teacherMode: "eval",
    },
  ],
  [
    "V-Net (LA losses: per-sample Dice, supervised pre-training, channel dropout, ConvTranspose)",
    "synth3d",
    {
      data: { synthPatients: 6, synthValPatients: 1, synthSize: [32, 32, 32], labeledPatients: 2 },
      model: { width: 0.125 },
      patchSize: [32, 32, 16],
      batch: { labeled: 2, unlabeled: 2 },
    },
  ],
];

describe("OrtEngine against the tfjs engine", () => {
  for (const [title, name, over] of cases) {
    it(`${title}: one pre-train and one self-train iteration give the same loss and weights`, async () => {
      const config = preset(name, { backend: "cpu", outDir: join(tmpdir(), "bcpseg-ort-engine-unused"), ...over });
      const data = await openTrainData(config);
      const run = new Run(config, data, "cpu");
      const engine = await OrtEngine.create("ort-cpu", config, run.student.getWeights());
      try {
        const transform = sampleTransform(config, createRng(5));
        const b1 = await loadBatch(data.train, run.sampler.next().slice(0, config.batch.labeled), transform);
        const rngs = () => ({ mask: createRng(11), dropout: createRng(12), teacherDropout: createRng(13) });
        const r1 = rngs();
        const ctx = {
          ...run.context(),
          maskRng: r1.mask,
          dropoutRng: r1.dropout,
          teacherDropoutRng: r1.teacherDropout,
        };
        const tfStats = pretrainStep(ctx, b1);
        const ortStats = await engine.pretrainStep(b1, rngs());
        assert.ok(
          Math.abs(tfStats.loss - ortStats.loss) <= 1e-4 * Math.abs(tfStats.loss),
          `${tfStats.loss} vs ${ortStats.loss}`,
        );
        const w = worst(engine.getStudent(), run.student.getWeights());
        assert.ok(w.rel <= 1e-4, `pre-train weights: ${w.name} rel ${w.rel}`);
        const momentum = run.optimizer.getState();
        const largest = Math.max(...Object.values(momentum).map((v) => Math.max(...v.map(Math.abs))));
        const o = worst(engine.getOptimizer(), momentum, largest);
        assert.ok(o.rel <= 1e-4, `momentum: ${o.name} rel ${o.rel}`);

        run.beginSelfTrain(run.snapshot());
        engine.setStudent(run.student.getWeights());
        engine.setTeacher(run.teacher!.getWeights());
        engine.setOptimizer(run.optimizer.getState());
        const b2 = await loadBatch(data.train, run.sampler.next(), transform);
        const r2 = rngs();
        const ctx2 = {
          ...run.context(),
          maskRng: r2.mask,
          dropoutRng: r2.dropout,
          teacherDropoutRng: r2.teacherDropout,
        };
        const tf2 = selfTrainStep(ctx2, b2);
        const ort2 = await engine.selfTrainStep(b2, rngs());
        assert.ok(Math.abs(tf2.loss - ort2.loss) <= 1e-4 * Math.abs(tf2.loss), `${tf2.loss} vs ${ort2.loss}`);
        const w2 = worst(engine.getStudent(), run.student.getWeights());
        assert.ok(w2.rel <= 1e-4, `self-train weights: ${w2.name} rel ${w2.rel}`);
        const t2 = worst(engine.getTeacher()!, run.teacher!.getWeights());
        assert.ok(t2.rel <= 1e-4, `teacher: ${t2.name} rel ${t2.rel}`);
      } finally {
        await engine.dispose();
        run.dispose();
      }
    });
  }
});
