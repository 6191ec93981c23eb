// One whole BCP iteration on the onnxruntime engine with real ACDC batches: batch loading and augmentation, a
// pre-train iteration, and a self-train iteration (two teacher forwards, pseudo labels, both mixes through the student
// and the SGD step in one graph, EMA), each timed separately; prints medians after warm-up. Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/iteration-time.ts [--threads 2] [--size 128] [--width 1]
//        [--batch 4] [--iterations 10] [--warmup 4] [--root ../shared/data/ACDC]
import { parseArgs } from "node:util";
import "@tensorflow/tfjs-backend-cpu";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { sharedDataRoot } from "../../../bench/lib/shared-data.ts";
import { loadBatch } from "../src/data/index.ts";
import { openTrainData } from "../src/train/open-data.ts";
import { OrtEngine } from "../src/train/ort-engine.ts";
import { preset } from "../src/train/preset.ts";
import { Run } from "../src/train/run-training.ts";
import { sampleTransform } from "../src/train/sample-transform.ts";

const { values } = parseArgs({
  options: {
    threads: { type: "string", default: "2" },
    size: { type: "string", default: "128" },
    width: { type: "string", default: "1" },
    batch: { type: "string", default: "4" },
    iterations: { type: "string", default: "10" },
    warmup: { type: "string", default: "4" },
    root: { type: "string" },
  },
});
await tf.setBackend("cpu");
const [threads, size, width, batch] = [values.threads, values.size, values.width, values.batch].map(Number);
const config = preset("acdc", {
  data: { kind: "acdc", root: sharedDataRoot("ACDC", values.root), labeledPatients: 3 },
  patchSize: [size, size],
  model: { width },
  batch: { labeled: batch, unlabeled: batch },
  backend: "cpu",
  outDir: "unused",
});
const data = await openTrainData(config);
const run = new Run(config, data, "cpu");
const engine = await OrtEngine.create("ort-cpu", config, run.student.getWeights(), { threads });
engine.setTeacher(engine.getStudent());
const transform = sampleTransform(config, createRng(1));
const rngs = { mask: createRng(2), dropout: createRng(3), teacherDropout: createRng(4) };
const times = { load: [] as number[], pretrain: [] as number[], selftrain: [] as number[] };
const warmup = Number(values.warmup);
for (let i = 0; i < warmup + Number(values.iterations); i++) {
  const t0 = performance.now();
  const b = await loadBatch(data.train, run.sampler.next(), transform);
  const t1 = performance.now();
  await engine.pretrainStep(b, rngs);
  const t2 = performance.now();
  await engine.selfTrainStep(b, rngs);
  const t3 = performance.now();
  if (i < warmup) continue;
  times.load.push(t1 - t0);
  times.pretrain.push(t2 - t1);
  times.selftrain.push(t3 - t2);
}
await engine.dispose();
await run.dispose();
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1].toFixed(0);
console.log(
  `| ort-cpu threads | ACDC ${size}x${size}, width ${width}, batch ${batch}+${batch} | batch load | pre-train | self-train |`,
);
console.log("|---|---|---|---|---|");
console.log(
  `| ${threads} | median of ${values.iterations} | ${median(times.load)} ms | ${median(times.pretrain)} ms | ${median(times.selftrain)} ms |`,
);
