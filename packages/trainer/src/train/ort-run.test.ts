import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import "@tensorflow/tfjs-backend-cpu";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { loadBatch } from "../data/index.ts";
import { loadCheckpoint } from "./checkpoint-file-node.ts";
import type { TrainConfigInput } from "./config.ts";
import { openTrainData } from "./open-data.ts";
import { OrtEngine } from "./ort-engine.ts";
import { type DeepPartial, preset } from "./preset.ts";
import { RUN_FILES, Run, train } from "./run-training.ts";
import { sampleTransform } from "./sample-transform.ts";

await tf.setBackend("cpu");
const slow = { skip: process.env.BCPSEG_QUICK ? "quick run" : false };
const root = await mkdtemp(join(tmpdir(), "bcpseg-ort-run-"));
after(() => rm(root, { recursive: true, force: true }));

const over = {
  data: { synthPatients: 8, synthValPatients: 1, synthSize: [32, 32], labeledFraction: 0.25 },
  model: { width: 0.125 },
  patchSize: [32, 32],
  batch: { labeled: 2, unlabeled: 2 },
  backend: "ort-cpu",
  pretrain: { iterations: 4 },
  selftrain: { iterations: 4 },
  validation: { every: 0 },
  checkpointEvery: 1,
} satisfies DeepPartial<TrainConfigInput>;
const tiny = (name: string, more: DeepPartial<TrainConfigInput> = {}) =>
  preset("synth2d", { ...over, outDir: join(root, name), ...more });

describe("train on ort-cpu", () => {
  it(
    "replays: same seed, same weights; stop + resume (across the stage change) equals a straight run",
    slow,
    async () => {
      const straight = await train(tiny("straight"), { progress: false });
      assert.equal(straight.backend, "ort-cpu");
      const again = await train(tiny("again"), { progress: false });
      assert.deepEqual(again.student, straight.student);
      const first = await train(tiny("resumed", { budget: { maxIterations: 5 } }), { progress: false });
      assert.deepEqual([first.status, first.stage, first.iteration], ["stopped", "selftrain", 1]);
      const second = await train(tiny("resumed"), { progress: false, resume: true });
      assert.equal(second.status, "completed");
      assert.deepEqual(second.student, straight.student);
      const [a, b] = await Promise.all(
        ["straight", "resumed"].map((n) => loadCheckpoint(join(root, n, RUN_FILES.last))),
      );
      assert.deepEqual(b.teacher, a.teacher);
      assert.deepEqual(b.optimizer, a.optimizer);
      assert.deepEqual(second.losses, straight.losses.slice(5));
    },
  );

  it("a run killed with SIGKILL and resumed ends with the weights of an uninterrupted run", slow, async () => {
    const long = { ...over, pretrain: { iterations: 20 }, selftrain: { iterations: 20 } };
    const straight = await train(preset("synth2d", { ...long, outDir: join(root, "straight-kill") }), {
      progress: false,
    });
    const dir = join(root, "killed");
    const url = (f: string) => new URL(f, import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        "--conditions=@bcpseg/source",
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `const { preset } = await import(${JSON.stringify(url("./preset.ts"))});
         const { train } = await import(${JSON.stringify(url("./run-training.ts"))});
         await train(preset("synth2d", { ...${JSON.stringify(long)}, outDir: ${JSON.stringify(dir)} }), { progress: false });`,
      ],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)), stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    // Kill it as soon as a few iterations are logged (the log and checkpoints are written atomically).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const log = await readFile(join(dir, RUN_FILES.log), "utf8").catch(() => "");
      if (log.split("\n").filter((l) => l.includes('"type":"train"')).length >= 3) break;
      assert.ok(child.exitCode === null, `child exited early: ${stderr}`);
      assert.ok(Date.now() < deadline, "child made no progress in 120 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const killed = await loadCheckpoint(join(dir, RUN_FILES.last));
    assert.ok(killed.meta.stage === "pretrain" || killed.meta.iteration < 20, "the child finished before the kill");
    const resumed = await train(preset("synth2d", { ...long, outDir: dir }), { progress: false, resume: true });
    assert.equal(resumed.status, "completed");
    assert.deepEqual(resumed.student, straight.student);
  });

  it(
    "keeps its memory flat over many iterations (RSS growth from iteration 20 to 120 under 64 MiB)",
    slow,
    async () => {
      const config = tiny("memory");
      const data = await openTrainData(config);
      const run = new Run(config, data, "cpu");
      const engine = await OrtEngine.create("ort-cpu", config, run.student.getWeights());
      try {
        const transform = sampleTransform(config, createRng(1));
        const rngs = { mask: createRng(2), dropout: createRng(3), teacherDropout: createRng(4) };
        engine.setTeacher(engine.getStudent());
        const rss: number[] = [];
        for (let i = 0; i < 120; i++) {
          const batch = await loadBatch(data.train, run.sampler.next(), transform);
          await (i % 2 === 0 ? engine.pretrainStep(batch, rngs) : engine.selfTrainStep(batch, rngs));
          if (i === 19 || i === 119) {
            globalThis.gc?.();
            rss.push(process.memoryUsage().rss);
          }
        }
        assert.ok(rss[1] - rss[0] < 64 * 2 ** 20, `RSS grew by ${((rss[1] - rss[0]) / 2 ** 20).toFixed(1)} MiB`);
      } finally {
        await engine.dispose();
        await run.dispose();
      }
    },
  );
});
