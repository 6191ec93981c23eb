import { basename, dirname, join, resolve } from "node:path";
import type { TrainConfig } from "@bcpseg/trainer";
import { defineCommand } from "../cli/command.ts";
import { num, str } from "../cli/parse-flags.ts";
import { configError, inputError, usageError } from "../errors/cli-error.ts";
import { evalCsv } from "../format/eval-csv.ts";
import { formatTable } from "../format/table.ts";
import { checkpointModel } from "../model/checkpoint-predictor.ts";
import type { ContractModel } from "../model/contract-predictor.ts";
import { findCheckpoint } from "../model/find-checkpoint.ts";
import { onnxModel } from "../model/onnx-predictor.ts";
import { loadTrainer } from "../model/trainer-lib.ts";

export const evalCommand = defineCommand({
  name: "eval",
  summary: "evaluate a checkpoint or an exported ONNX model with the ACDC (per slice) or LA (sliding window) protocol",
  usage: "<checkpoint | run-folder | model.onnx> [options]",
  description:
    "Scores what you deploy: a checkpoint on tfjs, or an exported model (fp32, fp16, int8) on the onnxruntime\n" +
    "session `serve` opens, both through core's inference pipeline with the model's own contract. Dice, Jaccard,\n" +
    "HD95 and ASD per class and per case, in voxels, or mm with --spacing or the files' own spacing. The data\n" +
    "are the model's training config's (an ONNX model carries it as bcpseg.training), or --data-root. --split val\n" +
    "is the list training validated on (ACDC val.list; LA test.list, else val.list); --split test is test.list.\n" +
    "The largest component follows the contract (LA: yes, as the official test; ACDC: no). Writes\n" +
    "eval-<model>-<split>.json and .csv (atomic) into --out, default the model's folder, and prints a table.",
  options: {
    "data-root": { type: "string", placeholder: "dir", description: "Evaluate on this dataset folder instead" },
    split: { type: "string", placeholder: "val|test", description: "Which list to score", defaultText: "val" },
    list: {
      type: "string",
      placeholder: "file",
      description: "acdc/la: score this list file (relative to the data root)",
    },
    "max-cases": { type: "string", placeholder: "n", description: "Score at most n cases" },
    "largest-component": { type: "boolean", description: "Keep the largest component per class" },
    "no-largest-component": { type: "boolean", description: "Never keep only the largest component" },
    spacing: {
      type: "string",
      placeholder: "a,b,c",
      description: "Voxel spacing (mm) per axis of each case ([S, H, W] ACDC, [X, Y, Z] LA)",
      defaultText: "the files' own, else voxels",
    },
    "no-distances": { type: "boolean", description: "Skip HD95 and ASD (faster)" },
    out: { type: "string", short: "o", placeholder: "dir", description: "Folder for the JSON and CSV" },
    backend: {
      type: "string",
      placeholder: "name",
      description: "tfjs backend (checkpoints)",
      defaultText: "the run's",
    },
  },
  examples: [
    "bcpseg eval runs/synth",
    "bcpseg eval runs/acdc --data-root ../shared/data/ACDC --json",
    "bcpseg eval runs/acdc/model-int8.onnx --data-root ../shared/data/ACDC --split test",
    "bcpseg eval runs/la-4 --split test",
    "bcpseg eval runs/la-4 --list my-cases.list --no-largest-component",
  ],
  async run({ values, positionals, io, json }) {
    if (positionals.length !== 1) throw usageError("eval: give one checkpoint file, run folder or .onnx model");
    if (values["largest-component"] === true && values["no-largest-component"] === true) {
      throw usageError("eval: give --largest-component or --no-largest-component, not both");
    }
    const split = str(values, "split") ?? "val";
    if (split !== "val" && split !== "test") throw usageError(`eval: --split must be val or test, got ${split}`);
    const spacing = floatList(str(values, "spacing"));
    const t = await loadTrainer();
    const target = resolve(io.cwd, positionals[0]);
    const isOnnx = target.toLowerCase().endsWith(".onnx");
    const file = isOnnx ? target : await findCheckpoint(target);
    const loaded: ContractModel & { config: TrainConfig; precision?: string } = isOnnx
      ? await openOnnx(file)
      : await checkpointModel(file, str(values, "backend"));
    const model: ContractModel = loaded;
    try {
      const c = loaded.config;
      const root = str(values, "data-root");
      const config = t.TrainConfigSchema.parse({
        ...c,
        data: { ...c.data, ...(root ? { root: resolve(io.cwd, root) } : {}) },
      });
      const list = str(values, "list");
      if ((list !== undefined || split === "test") && config.data.kind !== "acdc" && config.data.kind !== "la") {
        throw usageError(`eval: --split test and --list apply to acdc and la data, not ${config.data.kind}`);
      }
      const data = await t.openEvalData(config, {
        split,
        list,
        maxCases: num(values, "max-cases", { int: true, min: 1 }),
      });
      const where =
        data.list === undefined ? `${config.data.kind} validation split` : resolve(config.data.root ?? "", data.list);
      io.stderr.write(`eval: ${split} cases from ${where} (${data.cases.ids.length})\n`);
      const contract = model.contract;
      const largestComponent =
        values["largest-component"] === true
          ? true
          : values["no-largest-component"] === true
            ? false
            : contract.postprocessing.largestComponent;
      if (spacing && spacing.length !== 3) throw configError(`eval: --spacing needs 3 numbers, got ${spacing.length}`);
      const count = data.cases.ids.length;
      const result = await t.evaluateModel({ logits: model.run }, data.cases, {
        classes: contract.classes.length,
        contract,
        output: model.output ?? "probs",
        batch: model.batch ?? 1,
        largestComponent,
        spacing: spacing ?? "case",
        distances: values["no-distances"] !== true,
        onCase: (r, i) => io.stderr.write(`case ${i + 1}/${count} ${r.id}: Dice ${r.dice.toFixed(4)}\n`),
      });
      const names = contract.classes.map((k) => k.name);
      const stem = basename(file).replace(/\.(onnx|safetensors)$/i, "");
      const outDir = resolve(io.cwd, str(values, "out") ?? dirname(file));
      const base = join(outDir, `eval-${stem}-${split}`);
      const report = {
        model: file,
        kind: isOnnx ? "onnx" : "checkpoint",
        ...(loaded.precision ? { precision: loaded.precision } : {}),
        split,
        ...(data.list === undefined ? {} : { list: data.list }),
        data: { kind: config.data.kind, root: config.data.root ?? null },
        largestComponent,
        unit: result.unit ?? "voxel",
        classes: names,
        perClass: result.perClass.map((m) => ({ name: names[m.class], ...m })),
        mean: result.mean,
        cases: result.cases,
        seconds: result.seconds,
      };
      const { mkdir } = await import("node:fs/promises");
      await mkdir(outDir, { recursive: true });
      const enc = new TextEncoder();
      await t.writeFileAtomic(`${base}.json`, [enc.encode(`${JSON.stringify(report, null, 2)}\n`)]);
      await t.writeFileAtomic(`${base}.csv`, [enc.encode(evalCsv(result, names))]);
      if (!json) {
        const u = result.unit === "mm" ? " (mm)" : " (vox)";
        const rows = result.perClass.map((m) => [
          names[m.class] ?? `class ${m.class}`,
          m.dice,
          m.jaccard,
          m.hd95,
          m.asd,
        ]);
        rows.push(["mean", result.mean.dice, result.mean.jaccard, result.mean.hd95, result.mean.asd]);
        io.stdout.write(`${formatTable(["class", "Dice", "Jaccard", `HD95${u}`, `ASD${u}`], rows)}\n`);
        io.stdout.write(`${base}.json\n${base}.csv\n`);
      }
      return { ...report, files: { json: `${base}.json`, csv: `${base}.csv` } };
    } finally {
      await model.dispose();
    }
  },
});

/** An exported model with the training config it carries (bcpseg.training) and its precision. */
async function openOnnx(file: string): Promise<ContractModel & { config: TrainConfig; precision?: string }> {
  const t = await loadTrainer();
  const m = await onnxModel(file);
  const training = m.metadata.training;
  if (training === undefined || typeof training !== "object") {
    await m.dispose();
    throw inputError(`${file}: the model carries no bcpseg.training metadata (export it with \`bcpseg export\`)`);
  }
  const parsed = t.TrainConfigSchema.safeParse(training);
  if (!parsed.success) {
    await m.dispose();
    throw inputError(`${file}: its bcpseg.training metadata is not a training config this version reads`);
  }
  return { ...m, config: parsed.data, precision: m.precision };
}

function floatList(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const v = text.split(",").map((s) => Number(s.trim()));
  if (v.some((x) => !Number.isFinite(x) || x <= 0)) {
    throw configError(`eval: --spacing must be positive numbers separated by commas, got "${text}"`);
  }
  return v;
}
