import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { loadBatch } from "../data/index.ts";
import type { TrainConfigInput } from "./config.ts";
import { openTrainData } from "./open-data.ts";
import { OrtEngine } from "./ort-engine.ts";
import { type DeepPartial, preset } from "./preset.ts";
import { Run } from "./run-training.ts";
import { sampleTransform } from "./sample-transform.ts";

// ort-webgpu (onnxruntime-node's WebGPU EP, Dawn over Vulkan) against ort-cpu on the same iterations. CI runs it on
// Mesa's lavapipe, a CPU Vulkan driver (.ci/run installs it from bookworm-backports: scripts/install-lavapipe.sh);
// where no Vulkan driver is installed the test says so and skips.
const LAVAPIPE = "/usr/share/vulkan/icd.d/lvp_icd.json";
process.env.VK_DRIVER_FILES ??= existsSync(LAVAPIPE) ? LAVAPIPE : undefined;
const vulkan = process.env.VK_DRIVER_FILES !== undefined && existsSync(process.env.VK_DRIVER_FILES.split(":")[0]);
const skip = vulkan ? false : `no Vulkan driver (install Mesa's lavapipe: scripts/install-lavapipe.sh)`;

await tf.setBackend("cpu");

const CASES: Array<[string, "synth2d" | "synth3d", DeepPartial<TrainConfigInput>]> = [
  [
    "U-Net",
    "synth2d",
    {
      data: { synthPatients: 8, synthValPatients: 1, synthSize: [32, 32], labeledFraction: 0.25 },
      patchSize: [32, 32],
    },
  ],
  [
    "V-Net",
    "synth3d",
    {
      data: { synthPatients: 6, synthValPatients: 1, synthSize: [32, 32, 32], labeledPatients: 2 },
      patchSize: [32, 32, 16],
    },
  ],
];

describe("ort-webgpu", () => {
  for (const [title, preName, over] of CASES) {
    const what = `trains a tiny ${title} two pre-train and one self-train iteration as ort-cpu does (1e-3 of max(|w|, 0.1))`;
    it(what, { skip }, async () => {
      const config = preset(preName, {
        ...over,
        model: { width: 0.125 },
        batch: { labeled: 2, unlabeled: 2 },
        backend: "cpu",
        outDir: join(tmpdir(), "bcpseg-ort-webgpu-unused"),
      });
      const data = await openTrainData(config);
      const run = new Run(config, data, "cpu");
      const init = run.student.getWeights();
      const engines = [
        await OrtEngine.create("ort-cpu", config, init),
        await OrtEngine.create("ort-webgpu", config, init),
      ];
      try {
        const transform = sampleTransform(config, createRng(5));
        const pre = [
          await loadBatch(data.train, run.sampler.next().slice(0, 2), transform),
          await loadBatch(data.train, run.sampler.next().slice(0, 2), transform),
        ];
        const self = await loadBatch(data.train, run.sampler.next(), transform);
        const losses: number[][] = [];
        for (const e of engines) {
          const rngs = { mask: createRng(1), dropout: createRng(2), teacherDropout: createRng(3) };
          const l: number[] = [];
          for (const b of pre) l.push((await e.pretrainStep(b, rngs)).loss);
          e.setTeacher(e.getStudent());
          l.push((await e.selfTrainStep(self, rngs)).loss);
          losses.push(l);
        }
        losses[1].forEach((v, i) => {
          assert.ok(Math.abs(v - losses[0][i]) <= 1e-3 * Math.abs(losses[0][i]), `loss ${i}: ${v} vs ${losses[0][i]}`);
        });
        const [a, b] = engines.map((e) => e.getStudent());
        for (const name of Object.keys(a)) {
          // BatchNorm shifts stay near zero here (their gradient Σdy nearly cancels), so the EPs' different summation
          // orders show as large relative errors: tensors smaller than 0.1 are compared on that scale.
          const scale = Math.max(...Array.from(a[name], Math.abs));
          let diff = 0;
          for (let i = 0; i < a[name].length; i++) diff = Math.max(diff, Math.abs(a[name][i] - b[name][i]));
          assert.ok(diff <= 1e-3 * Math.max(scale, 0.1), `${name}: max diff ${diff} (scale ${scale})`);
        }
      } finally {
        for (const e of engines) await e.dispose();
        await run.dispose();
      }
    });
  }
});
