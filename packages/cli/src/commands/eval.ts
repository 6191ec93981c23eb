import { resolve } from "node:path";
import { contractForConfig } from "@bcpseg/trainer";
import { defineCommand } from "../cli/command.ts";
import { num, str } from "../cli/parse-flags.ts";
import { usageError } from "../errors/cli-error.ts";
import { formatTable } from "../format/table.ts";
import { findCheckpoint } from "../model/find-checkpoint.ts";
import { loadStudent } from "../model/load-student.ts";
import { loadTrainer } from "../model/trainer-lib.ts";

export const evalCommand = defineCommand({
  name: "eval",
  summary: "evaluate a checkpoint with the ACDC (per slice) or LA (sliding window) protocol",
  usage: "<checkpoint | run-folder> [options]",
  description:
    "Scores the validation set of the checkpoint's own config (or --data-root): Dice, Jaccard, HD95, ASD per class.",
  options: {
    "data-root": { type: "string", placeholder: "dir", description: "Evaluate on this dataset folder instead" },
    "max-cases": { type: "string", placeholder: "n", description: "Score at most n validation cases" },
    "largest-component": { type: "boolean", description: "Keep the largest component of 3D predictions (LA test)" },
    "no-distances": { type: "boolean", description: "Skip HD95 and ASD (faster)" },
    backend: { type: "string", placeholder: "name", description: "tfjs backend", defaultText: "the run's" },
  },
  examples: ["bcpseg eval runs/synth", "bcpseg eval runs/acdc --data-root ../shared/data/ACDC --json"],
  async run({ values, positionals, io, json }) {
    if (positionals.length !== 1) throw usageError("eval: give one checkpoint file or run folder");
    const t = await loadTrainer();
    const ckpt = await findCheckpoint(resolve(io.cwd, positionals[0]));
    const student = await loadStudent(ckpt, str(values, "backend"));
    try {
      const c = student.config;
      const root = str(values, "data-root");
      const maxCases = num(values, "max-cases", { int: true, min: 1 });
      const config = t.TrainConfigSchema.parse({
        ...c,
        data: {
          ...c.data,
          ...(root ? { root: resolve(io.cwd, root) } : {}),
          ...(maxCases ? { maxValCases: maxCases } : {}),
        },
      });
      const data = await t.openTrainData(config);
      if (!data.val) throw usageError("eval: this dataset has no validation cases");
      const is2d = c.patchSize.length === 2;
      const result = await t.evaluateModel(student.model, data.val, {
        classes: c.classes,
        protocol: is2d ? "slices" : "sliding",
        size: c.patchSize,
        stride: c.validation.stride,
        largestComponent: values["largest-component"] === true,
        distances: values["no-distances"] !== true,
        scipyEdgeQuirk: c.quirks.scipyEdgeQuirk,
        onCase: (r, i) => io.stderr.write(`case ${i + 1}/${data.val!.ids.length} ${r.id}: Dice ${r.dice.toFixed(4)}\n`),
      });
      if (!json) {
        const names = contractForConfig(c).classes.map((k) => k.name);
        const rows = result.perClass.map((m) => [
          names[m.class] ?? `class ${m.class}`,
          m.dice,
          m.jaccard,
          m.hd95,
          m.asd,
        ]);
        rows.push(["mean", result.mean.dice, result.mean.jaccard, result.mean.hd95, result.mean.asd]);
        io.stdout.write(`${formatTable(["class", "Dice", "Jaccard", "HD95", "ASD"], rows)}\n`);
      }
      return { checkpoint: ckpt, ...result };
    } finally {
      student.model.dispose();
    }
  },
});
