// Semi-supervised (BCP) vs labeled-only with the same iteration budget, on core's synthetic phantom or real ACDC.
// Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/quality.ts [--dataset synth|acdc] [--iterations 1600]
//        [--pre-share 0.5] [--size 64] [--width 0.25] [--batch 4] [--seed 1337] [--backend wasm]
//        [--method both|bcp|labeled-only] [--teacher-mode train|eval] [--out /tmp/quality] [--max-seconds N]
//        [--root DIR: ACDC in the SSL4MIS layout, default ../shared/data/ACDC beside the repository]
//   node ... bench/quality.ts --table <out prefix>      (prints the table of finished runs)
//   --method shared: run only the shared pre-training (labeled-only config stopped after P iterations) and branch it
//   into <out>-bcp; then `--method labeled-only --resume` and `--method bcp --resume` finish the two arms (in
//   parallel if you like) without computing the pre-training twice.
// Design: both methods share the pre-training. BCP = pre-train P = pre-share·budget iterations (copy-paste between
// labeled images), then self-train the rest from the best pre-train checkpoint. Labeled-only = the same pre-train
// stage continued for the whole budget; with the same seed its first P iterations are bit-for-bit BCP's pre-train
// (sampler, augmentation and mask streams are forked from the seed). The two can run as separate processes.
// Each run selects its best student on the validation set; we report that student and the last one on a test set
// (synthetic: held-out phantom patients; ACDC: the 20 validation volumes — the only labeled volumes here).
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sharedDataRoot } from "../../../bench/lib/shared-data.ts";
import { SynthDataset2d } from "../src/data/index.ts";
import { type EvalResult, evaluateModel } from "../src/eval/index.ts";
import {
  createModel,
  loadCheckpoint,
  openTrainData,
  preset,
  RUN_FILES,
  saveCheckpoint,
  slicesToVolumes,
  type TrainConfig,
  train,
  useBackend,
} from "../src/train/index.ts";

const { values } = parseArgs({
  options: {
    dataset: { type: "string", default: "synth" },
    root: { type: "string" }, // default: ../shared/data/<ACDC|LA> beside the repository
    iterations: { type: "string", default: "1600" },
    "pre-share": { type: "string", default: "0.5" },
    size: { type: "string", default: "64" },
    width: { type: "string", default: "0.25" },
    batch: { type: "string", default: "4" },
    seed: { type: "string", default: "1337" },
    backend: { type: "string", default: "wasm" },
    method: { type: "string", default: "both" },
    "teacher-mode": { type: "string", default: "train" },
    fraction: { type: "string", default: "0.05" },
    patients: { type: "string", default: "40" },
    "labeled-patients": { type: "string", default: "3" },
    "val-every": { type: "string" },
    "max-seconds": { type: "string" },
    out: { type: "string", default: join(tmpdir(), "bcpseg-quality") },
    table: { type: "string" },
    resume: { type: "boolean", default: false },
    from: { type: "string" },
  },
});

const METHODS = ["labeled-only", "bcp"] as const;
type Method = (typeof METHODS)[number];
const CLASS_NAMES = ["RV", "Myo", "LV"];

interface Summary {
  readonly method: Method;
  readonly dataset: string;
  readonly status: string;
  readonly iterations: { pretrain: number; selftrain: number };
  readonly seconds: number;
  readonly bestVal: { stage: string; iteration: number; dice: number } | null;
  readonly pretrainEndVal: { iteration: number; dice: number } | null;
  readonly best: Scores;
  readonly last: Scores;
  readonly settings: Record<string, unknown>;
}
type Scores = { dice: number[]; hd95: number[]; meanDice: number; meanHd95: number };

if (values.table !== undefined) {
  await printTable(values.table);
} else if (values.method === "shared") {
  await sharedPretrain();
} else {
  const methods: Method[] = values.method === "both" ? [...METHODS] : [values.method as Method];
  for (const m of methods) await runOne(m);
  await printTable(values.out);
}

function configFor(method: Method): TrainConfig {
  const total = Number(values.iterations);
  const pre = Math.round(total * Number(values["pre-share"]));
  const size = Number(values.size);
  const b = Number(values.batch);
  const valEvery = Number(values["val-every"] ?? Math.max(50, Math.round(total / 16)));
  const common = {
    model: { width: Number(values.width) },
    patchSize: [size, size],
    batch: { labeled: b, unlabeled: b },
    backend: values.backend,
    seed: Number(values.seed),
    teacherMode: values["teacher-mode"] as "train" | "eval",
    validation: { every: valEvery },
    checkpointEvery: 1_000_000,
    logEvery: 25,
    budget: values["max-seconds"] === undefined ? {} : { maxSeconds: Number(values["max-seconds"]) },
    pretrain: { iterations: method === "bcp" ? pre : total },
    selftrain: { iterations: method === "bcp" ? total - pre : 0 },
    outDir: `${values.out}-${method}`,
  };
  if (values.dataset === "acdc") {
    return preset("acdc", {
      ...common,
      data: {
        kind: "acdc",
        root: sharedDataRoot("ACDC", values.root),
        labeledPatients: Number(values["labeled-patients"]),
      },
    });
  }
  return preset("synth2d", {
    ...common,
    data: {
      labeledFraction: Number(values.fraction),
      synthPatients: Number(values.patients),
      synthValPatients: 6,
      synthSize: [size, size],
    },
  });
}

/**
 * The common pre-training: the labeled-only run stopped after P iterations, copied as BCP's starting point. With
 * --from <ckpt>, a pre-train checkpoint at iteration P of an earlier run with the same seed and settings (e.g. a
 * shorter labeled-only run's `pretrain-best`, saved at P) serves as the shared state instead: both arms go on from it.
 */
async function sharedPretrain(): Promise<void> {
  const lo = configFor("labeled-only");
  const bcp = configFor("bcp");
  const p = bcp.pretrain.iterations;
  if (lo.validation.every <= 0 || p % lo.validation.every !== 0) {
    throw new Error(`--val-every must divide the pre-train length ${p} so both arms validate its end`);
  }
  let source: string;
  if (values.from !== undefined) {
    source = values.from;
    await mkdir(lo.outDir, { recursive: true });
    await copyFile(source, join(lo.outDir, RUN_FILES.best("pretrain")));
  } else {
    const r = await train({ ...lo, budget: { ...lo.budget, maxIterations: p } });
    if (r.stage !== "pretrain" || r.iteration !== p)
      throw new Error(`shared pre-train ended at ${r.stage} ${r.iteration}`);
    source = join(lo.outDir, RUN_FILES.last);
  }
  const state = await loadCheckpoint(source);
  if (state.meta.stage !== "pretrain" || state.meta.iteration !== p) {
    throw new Error(`${source} is at ${state.meta.stage} ${state.meta.iteration}, the branch point is pretrain ${p}`);
  }
  await useBackend(bcp.backend); // --from trains nothing, so no backend is active yet
  const model = createModel(bcp, 0);
  const shapes = Object.fromEntries(model.params.entries().map(([k, v]) => [k, v.shape]));
  model.dispose();
  // The pre-train state at iteration P is BCP's end of pre-training: same seed, same streams, same weights.
  for (const c of [lo, bcp]) {
    await mkdir(c.outDir, { recursive: true });
    if (c !== lo) {
      await copyFile(join(lo.outDir, RUN_FILES.best("pretrain")), join(c.outDir, RUN_FILES.best("pretrain")));
      await copyFile(join(lo.outDir, RUN_FILES.log), join(c.outDir, RUN_FILES.log)).catch(() => undefined);
    }
    await saveCheckpoint(join(c.outDir, RUN_FILES.last), { ...state, meta: { ...state.meta, config: c } }, shapes);
  }
  console.log(`shared pre-train: ${p} iterations (${source}), branched into ${lo.outDir} and ${bcp.outDir}`);
}

async function runOne(method: Method): Promise<void> {
  const config = configFor(method);
  const data = await openTrainData(config);
  const started = performance.now();
  const result = await train(config, { data, resume: values.resume });
  const wall = (performance.now() - started) / 1000;
  // A run stopped by the time budget has no report: score the best checkpoint of the stage it reached.
  // A labeled-only run (no self-train iterations) ends in the pre-train stage.
  const stage = config.selftrain.iterations === 0 ? "pretrain" : result.stage;
  const bestFile = join(result.outDir, RUN_FILES.best(stage));
  const best = await loadCheckpoint(bestFile).catch(() => loadCheckpoint(join(result.outDir, RUN_FILES.last)));
  const last = await loadCheckpoint(join(result.outDir, RUN_FILES.last));
  const test =
    config.data.kind === "synth2d"
      ? await slicesToVolumes(
          new SynthDataset2d({ patients: 10, size: config.patchSize, seed: config.data.synthSeed + 2_000_003 }),
        )
      : data.val;
  if (test === undefined) throw new Error("no test set");
  const score = async (weights: Record<string, Float32Array | Int32Array>): Promise<Scores> => {
    const model = createModel(config, 0);
    model.setWeights(weights);
    const r: EvalResult = await evaluateModel(model, test, {
      classes: config.classes,
      protocol: "slices",
      size: config.patchSize,
      distances: true,
    });
    model.dispose();
    return {
      dice: r.perClass.map((m) => m.dice),
      hd95: r.perClass.map((m) => m.hd95),
      meanDice: r.mean.dice,
      meanHd95: r.mean.hd95,
    };
  };
  const hist = last.meta.history;
  const preEnd = hist.filter((h) => h.stage === "pretrain" && h.iteration === config.pretrain.iterations).at(-1);
  const bestRecord = last.meta.best[stage];
  const summary: Summary = {
    method,
    dataset: config.data.kind,
    status: result.status,
    iterations: {
      pretrain: result.stage === "pretrain" ? result.iteration : config.pretrain.iterations,
      selftrain: result.stage === "selftrain" ? result.iteration : 0,
    },
    seconds: (last.meta.seconds.pretrain ?? 0) + (last.meta.seconds.selftrain ?? 0),
    bestVal: bestRecord === null ? null : { stage, iteration: bestRecord.iteration, dice: bestRecord.dice },
    pretrainEndVal: preEnd === undefined ? null : { iteration: preEnd.iteration, dice: preEnd.dice },
    best: await score(best.student),
    last: await score(last.student),
    settings: {
      backend: result.backend,
      size: config.patchSize,
      width: config.model.width,
      batch: config.batch,
      seed: config.seed,
      teacherMode: config.teacherMode,
      budget: Number(values.iterations),
      preShare: Number(values["pre-share"]),
      validationEvery: config.validation.every,
      test: config.data.kind === "synth2d" ? "10 held-out phantom patients" : "ACDC val.list (20 volumes)",
    },
  };
  await writeFile(join(result.outDir, "quality.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`${method}: ${result.status} after ${wall.toFixed(0)} s, best ${JSON.stringify(summary.bestVal)}`);
}

async function printTable(prefix: string): Promise<void> {
  const rows: Summary[] = [];
  for (const m of METHODS) {
    const text = await readFile(`${prefix}-${m}/quality.json`, "utf8").catch(() => undefined);
    if (text !== undefined) rows.push(JSON.parse(text));
  }
  if (rows.length === 0) return;
  const pct = (x: number) => (100 * x).toFixed(1);
  const s = rows[0].settings;
  console.log(
    `\n${rows[0].dataset} ${JSON.stringify(s.size)} width ${s.width} batch ${JSON.stringify(s.batch)} seed ${s.seed} budget ${s.budget} (pre-share ${s.preShare}) teacher ${s.teacherMode}, ${s.backend}; test: ${s.test}`,
  );
  const head = CLASS_NAMES.map((c) => `${c} Dice`).join(" | ");
  const hd = CLASS_NAMES.map((c) => `${c} HD95`).join(" | ");
  console.log(`| method | student | iterations (pre+self) | ${head} | mean Dice | ${hd} | mean HD95 | train s |`);
  console.log(`|---|---|---|${"---|".repeat(9)}`);
  for (const r of rows) {
    for (const which of ["best", "last"] as const) {
      const sc = r[which];
      const it = `${r.iterations.pretrain}+${r.iterations.selftrain}`;
      const tag = which === "best" ? `best val (it ${r.bestVal?.stage} ${r.bestVal?.iteration})` : "last";
      console.log(
        `| ${r.method} | ${tag} | ${it} | ${sc.dice.map(pct).join(" | ")} | **${pct(sc.meanDice)}** | ${sc.hd95.map((h) => h.toFixed(2)).join(" | ")} | ${sc.meanHd95.toFixed(2)} | ${r.seconds.toFixed(0)} |`,
      );
    }
  }
}
