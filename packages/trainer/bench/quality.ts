// Semi-supervised (BCP) vs labeled-only on the synthetic cardiac phantom with 5 % labeled patients, same
// iteration budget; prints validation Dice per class. Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/quality.ts [--iterations 1200] [--size 64] [--width 0.25]
//        [--backend cpu|wasm] [--fraction 0.05] [--patients 40] [--out runs/quality]
// Labeled-only = the pre-train stage alone (copy-paste between labeled images) for the whole budget; BCP =
// pre-train for a quarter of it, self-train for the rest.
import { parseArgs } from "node:util";
import { preset, type TrainResult, train } from "../src/train/index.ts";

const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "1200" },
    size: { type: "string", default: "64" },
    width: { type: "string", default: "0.25" },
    backend: { type: "string", default: "cpu" },
    fraction: { type: "string", default: "0.05" },
    patients: { type: "string", default: "40" },
    batch: { type: "string", default: "4" },
    out: { type: "string", default: "runs/quality" },
  },
});
const total = Number(values.iterations);
const size = Number(values.size);
const pre = Math.round(total / 4);
const base = {
  data: {
    labeledFraction: Number(values.fraction),
    synthPatients: Number(values.patients),
    synthValPatients: 6,
    synthSize: [size, size],
  },
  model: { width: Number(values.width) },
  patchSize: [size, size],
  batch: { labeled: Number(values.batch), unlabeled: Number(values.batch) },
  backend: values.backend,
  validation: { every: Math.max(50, Math.round(total / 12)) },
  checkpointEvery: 1_000_000,
  logEvery: 25,
};

const runs: Array<[string, TrainResult]> = [];
const labeledOnly = await train(
  preset("synth2d", {
    ...base,
    pretrain: { iterations: total },
    selftrain: { iterations: 0 },
    outDir: `${values.out}/labeled-only`,
  }),
);
runs.push(["labeled-only", labeledOnly]);
const bcp = await train(
  preset("synth2d", {
    ...base,
    pretrain: { iterations: pre },
    selftrain: { iterations: total - pre },
    outDir: `${values.out}/bcp`,
  }),
);
runs.push(["BCP", bcp]);

const pct = (x: number) => (100 * x).toFixed(2);
console.log(
  `\nsynthetic phantom ${size}x${size}, ${values.fraction} labeled, ${total} iterations, backend ${labeledOnly.backend}`,
);
console.log("| method | RV Dice | Myo Dice | LV Dice | mean Dice | mean HD95 | train s |");
console.log("|---|---|---|---|---|---|---|");
for (const [name, r] of runs) {
  const e = r.report?.evaluation;
  if (e === undefined) continue;
  const secs = (r.report?.stages.pretrain.seconds ?? 0) + (r.report?.stages.selftrain.seconds ?? 0);
  const [a, b, c] = e.perClass.map((m) => pct(m.dice));
  console.log(
    `| ${name} | ${a} | ${b} | ${c} | ${pct(e.mean.dice)} | ${e.mean.hd95.toFixed(2)} | ${secs.toFixed(0)} |`,
  );
}
