import { resolve } from "node:path";
import { contractForConfig } from "@bcpseg/trainer";
import type { CommandSpec } from "../cli/command.ts";
import { num, str } from "../cli/parse-flags.ts";
import { usageError } from "../errors/cli-error.ts";
import { formatTable } from "../format/table.ts";
import { findCheckpoint } from "../model/find-checkpoint.ts";
import { loadStudent } from "../model/load-student.ts";
import { loadTrainer } from "../model/trainer-lib.ts";

export const evalCommand: CommandSpec = {
  name: "eval",
  summary: "evaluate a checkpoint with the ACDC (per slice) or LA (sliding window) protocol",
  usage: "<checkpoint | run-folder> [options]",
  description:
    "Scores the validation set of the checkpoint's own config (or --data-root): Dice, Jaccard, HD95, ASD per class.",
  options: {
    "data-root": { type: "string", placeholder: "dir", description: "Evaluate on this dataset folder instead" },
    "max-cases": { type: "string", placeholder: "n", description: "Score at most n validation cases" },
    split: {
      type: "string",
      placeholder: "val|test",
      description: "acdc/la: score the validation list (by rule, as training chose it) or test.list",
      defaultText: "val",
    },
    list: {
      type: "string",
      placeholder: "file",
      description: "acdc/la: score this list file (relative to the data root)",
    },
    "largest-component": { type: "boolean", description: "Keep the largest component of predictions" },
    "no-largest-component": {
      type: "boolean",
      description: "Skip the largest component (default: on for 3D / LA, as the official test does; off for 2D)",
    },
    "no-distances": { type: "boolean", description: "Skip HD95 and ASD (faster)" },
    backend: { type: "string", placeholder: "name", description: "tfjs backend", defaultText: "the run's" },
  },
  examples: [
    "bcpseg eval runs/synth",
    "bcpseg eval runs/acdc --data-root ../shared/data/ACDC --json",
    "bcpseg eval runs/la-4 --split test",
  ],
  async run({ values, positionals, io, json }) {
    if (positionals.length !== 1) throw usageError("eval: give one checkpoint file or run folder");
    const t = await loadTrainer();
    const ckpt = await findCheckpoint(resolve(io.cwd, positionals[0]));
    const student = await loadStudent(ckpt, str(values, "backend"));
    try {
      const c = student.config;
      const root = str(values, "data-root");
      const maxCases = num(values, "max-cases", { int: true, min: 1 });
      const split = str(values, "split") ?? "val";
      if (split !== "val" && split !== "test") throw usageError(`eval: --split must be val or test, got ${split}`);
      const list = str(values, "list") ?? (split === "test" ? "test.list" : undefined);
      if (list !== undefined && c.data.kind !== "acdc" && c.data.kind !== "la") {
        throw usageError(`eval: --split test and --list apply to acdc and la data, not ${c.data.kind}`);
      }
      if (values["largest-component"] === true && values["no-largest-component"] === true) {
        throw usageError("eval: give --largest-component or --no-largest-component, not both");
      }
      const config = t.TrainConfigSchema.parse({
        ...c,
        data: {
          ...c.data,
          ...(root ? { root: resolve(io.cwd, root) } : {}),
          ...(maxCases ? { maxValCases: maxCases } : {}),
          ...(list ? { valList: list } : {}),
        },
      });
      const data = await t.openTrainData(config);
      if (!data.val) throw usageError("eval: this dataset has no validation cases");
      const is2d = c.patchSize.length === 2;
      // The official LA test keeps the largest component of each 3-D prediction; the ACDC test does not.
      const largestComponent =
        values["largest-component"] === true || (!is2d && values["no-largest-component"] !== true);
      if (data.valList !== undefined) io.stderr.write(`scoring ${data.valList} (${data.val.ids.length} cases)\n`);
      const result = await t.evaluateModel(student.model, data.val, {
        classes: c.classes,
        protocol: is2d ? "slices" : "sliding",
        size: c.patchSize,
        stride: c.validation.stride,
        largestComponent,
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
      return {
        checkpoint: ckpt,
        ...(data.valList === undefined ? {} : { list: data.valList }),
        largestComponent,
        ...result,
      };
    } finally {
      student.model.dispose();
    }
  },
};
