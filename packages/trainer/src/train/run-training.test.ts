import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { loadBatch } from "../data/index.ts";
import { loadCheckpoint } from "./checkpoint-file-node.ts";
import type { TrainConfigInput } from "./config.ts";
import { openTrainData } from "./open-data.ts";
import { type DeepPartial, preset } from "./preset.ts";
import { RUN_FILES, Run, train } from "./run-training.ts";
import { sampleTransform } from "./sample-transform.ts";
import { pretrainStep, selfTrainStep } from "./train-steps.ts";

await tf.setBackend("cpu");
const slow = { skip: process.env.BCPSEG_QUICK ? "quick run" : false };
const root = await mkdtemp(join(tmpdir(), "bcpseg-train-"));
after(() => rm(root, { recursive: true, force: true }));

/** A tiny synthetic 2-D run: width-0.125 U-Net on 32x32 phantoms, batch 2 + 2. */
const tiny = (name: string, over: DeepPartial<TrainConfigInput> = {}) =>
  preset("synth2d", {
    data: { synthPatients: 8, synthValPatients: 1, synthSize: [32, 32], labeledFraction: 0.25 },
    model: { width: 0.125 },
    patchSize: [32, 32],
    batch: { labeled: 2, unlabeled: 2 },
    backend: "cpu",
    logEvery: 1,
    outDir: join(root, name),
    ...over,
  });

describe("train (synthetic phantom, cpu)", () => {
  it(
    "runs pre-train + self-train to completion, writes checkpoints, JSONL and report, and the loss falls",
    slow,
    async () => {
      const config = tiny("e2e", {
        pretrain: { iterations: 16 },
        selftrain: { iterations: 8 },
        validation: { every: 8 },
        checkpointEvery: 8,
      });
      const r = await train(config, { progress: false });
      assert.equal(r.status, "completed");
      assert.deepEqual([r.stage, r.iteration], ["selftrain", 8]);
      const pre = r.losses.filter((l) => l.stage === "pretrain").map((l) => l.loss);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      assert.ok(mean(pre.slice(-4)) < mean(pre.slice(0, 4)), `pre-train loss ${pre.map((x) => x.toFixed(3))}`);
      for (const f of [RUN_FILES.last, RUN_FILES.best("pretrain"), RUN_FILES.best("selftrain")]) {
        assert.ok((await loadCheckpoint(join(config.outDir, f))).student, f);
      }
      const last = await loadCheckpoint(join(config.outDir, RUN_FILES.last));
      assert.equal(last.meta.stage, "selftrain");
      assert.ok(last.teacher !== undefined && last.optimizer !== undefined);
      const lines = (await readFile(join(config.outDir, RUN_FILES.log), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      assert.equal(lines.filter((l) => l.type === "train").length, 24);
      assert.equal(lines.filter((l) => l.type === "val").length, 3);
      const report = JSON.parse(await readFile(join(config.outDir, RUN_FILES.report), "utf8"));
      assert.equal(report.backend, "cpu");
      assert.equal(report.split.labeled + report.split.unlabeled, 80);
      assert.deepEqual(
        report.evaluation.perClass.map((m: { class: number }) => m.class),
        [1, 2, 3],
      );
      for (const m of report.evaluation.perClass) assert.ok(m.dice >= 0 && m.dice <= 1);
      assert.equal(report.stages.pretrain.iterations, 16);
    },
  );

  it("resumes bit for bit: N straight equals N/2, stop, resume, N/2 (across the stage change)", slow, async () => {
    const over = {
      pretrain: { iterations: 4 },
      selftrain: { iterations: 4 },
      validation: { every: 0 },
      checkpointEvery: 100,
    };
    const straight = await train(tiny("straight", over), { progress: false });
    const first = await train(tiny("resumed", { ...over, budget: { maxIterations: 5 } }), { progress: false });
    assert.deepEqual([first.status, first.stage, first.iteration], ["stopped", "selftrain", 1]);
    const second = await train(tiny("resumed", over), { progress: false, resume: true });
    assert.equal(second.status, "completed");
    assert.deepEqual(second.student, straight.student);
    const [a, b] = await Promise.all(["straight", "resumed"].map((n) => loadCheckpoint(join(root, n, RUN_FILES.last))));
    assert.deepEqual(b.teacher, a.teacher);
    assert.deepEqual(b.optimizer, a.optimizer);
    assert.deepEqual(b.meta.rng, a.meta.rng);
    assert.deepEqual(second.losses, straight.losses.slice(5));
  });

  it(
    "a labeled-only run (0 self-train iterations) ends in the pre-train stage with its last weights",
    slow,
    async () => {
      const config = tiny("labeled-only", {
        pretrain: { iterations: 6 },
        selftrain: { iterations: 0 },
        validation: { every: 2 },
        checkpointEvery: 100,
      });
      const r = await train(config, { progress: false });
      assert.deepEqual([r.status, r.stage, r.iteration], ["completed", "pretrain", 6]);
      const last = await loadCheckpoint(join(config.outDir, RUN_FILES.last));
      assert.deepEqual([last.meta.stage, last.meta.iteration], ["pretrain", 6]);
      assert.equal(last.teacher, undefined);
      assert.deepEqual(last.student, r.student);
      await assert.rejects(readFile(join(config.outDir, RUN_FILES.best("selftrain"))), { code: "ENOENT" });
      const best = await loadCheckpoint(join(config.outDir, RUN_FILES.best("pretrain")));
      assert.equal(best.meta.stage, "pretrain");
      if (best.meta.iteration !== 6) assert.notDeepEqual(best.student, last.student);
      const report = JSON.parse(await readFile(join(config.outDir, RUN_FILES.report), "utf8"));
      assert.equal(report.stages.pretrain.iterations, 6);
      // Resuming a finished labeled-only run changes nothing.
      const again = await train(config, { progress: false, resume: true });
      assert.deepEqual([again.stage, again.iteration], ["pretrain", 6]);
      assert.deepEqual(again.student, r.student);
    },
  );

  it("refuses to resume with a different training config", slow, async () => {
    const over = { pretrain: { iterations: 2 }, selftrain: { iterations: 0 }, validation: { every: 0 } };
    await train(tiny("mismatch", { ...over, budget: { maxIterations: 1 } }), { progress: false });
    await assert.rejects(train(tiny("mismatch", { ...over, seed: 7 }), { progress: false, resume: true }), {
      code: "ERR_CHECKPOINT_MISMATCH",
    });
  });

  it("leaks no tensors: tf.memory().numTensors is flat across pre-train and self-train iterations", slow, async () => {
    const config = tiny("leak");
    const data = await openTrainData(config);
    const run = new Run(config, data, "cpu");
    const transform = sampleTransform(config, run.augmentRng);
    const batch = async (n: number) => loadBatch(data.train, run.sampler.next().slice(0, n), transform);
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      pretrainStep(run.context(), await batch(2));
      counts.push(tf.memory().numTensors);
    }
    run.beginSelfTrain(run.snapshot());
    const selfCounts: number[] = [];
    for (let i = 0; i < 4; i++) {
      selfTrainStep(run.context(), await batch(4));
      selfCounts.push(tf.memory().numTensors);
    }
    assert.deepEqual(counts.slice(1), [counts[1], counts[1], counts[1]]);
    assert.deepEqual(selfCounts.slice(1), [selfCounts[1], selfCounts[1], selfCounts[1]]);
    const before = tf.memory().numTensors;
    run.dispose();
    assert.ok(tf.memory().numTensors < before);
  });
});
