import { existsSync } from "node:fs";
import { join } from "node:path";
import { contractForConfig, type TrainConfig } from "@bcpseg/trainer";
import { stringify } from "yaml";
import { type AnyFlagValues, defineCommand } from "../cli/command.ts";
import { str } from "../cli/parse-flags.ts";
import { buildTrainConfig } from "../config/build-train-config.ts";
import { readConfigFile } from "../config/read-config-file.ts";
import { TRAIN_CONFIG_OPTIONS, trainFlagOverrides } from "../config/train-flags.ts";
import { CliError, usageError } from "../errors/cli-error.ts";
import { diceTable } from "../format/dice-table.ts";
import { existingRunFiles, removeRunFiles } from "../io/run-folder.ts";
import { loadTrainer } from "../model/trainer-lib.ts";
import { writeRunPlots } from "../plot/write-run-plots.ts";

export const trainCommand = defineCommand({
  name: "train",
  summary: "pre-train and self-train a student with BCP (resumable, budgeted)",
  usage: "[options]",
  description:
    "Config precedence: preset < config file < flags. The run folder gets last.safetensors (resumable),\n" +
    "<stage>-best.safetensors, metrics.jsonl, report.json, curves.svg and dice.svg.\n" +
    "A folder that already holds a run is refused unless --resume continues it or --overwrite replaces it.",
  options: {
    ...TRAIN_CONFIG_OPTIONS,
    resume: {
      type: "boolean",
      description:
        "Continue from <out>/last.safetensors, bit for bit; with no config file and no training flags the run's own config is used",
    },
    overwrite: {
      type: "boolean",
      description:
        "Start a new run in an <out> that holds one: its checkpoints, log, report and plots are deleted first",
    },
    "dry-run": { type: "boolean", description: "Print the merged, validated config and stop" },
    quiet: { type: "boolean", short: "q", description: "No progress bar" },
  },
  examples: [
    "bcpseg train --preset synth2d --out runs/synth --max-seconds 120",
    "bcpseg train -c acdc.yaml --data-root ../shared/data/ACDC --labeled-patients 3 --backend wasm",
    "bcpseg train -c acdc.yaml --resume",
    "bcpseg train --out runs/acdc-3 --resume --max-seconds 600",
    "bcpseg train --preset synth2d --out runs/synth --overwrite",
    "bcpseg train --preset synth2d --backend wasm --threads 2",
  ],
  async run({ values, io, json }) {
    if (values.resume === true && values.overwrite === true) {
      throw usageError("train: --resume continues the run in --out and --overwrite replaces it; give one of them");
    }
    const path = str(values, "config");
    const file = path === undefined ? undefined : { path, doc: await readConfigFile(path, io.cwd) };
    const t = await loadTrainer();
    let config = buildTrainConfig(t, {
      preset: str(values, "preset"),
      file,
      flags: trainFlagOverrides(values, t.deepMerge),
      cwd: io.cwd,
    });
    // `--resume` with only run-level flags: continue with the config stored in the run's checkpoint.
    const last = join(config.outDir, "last.safetensors");
    if (values.resume === true && file === undefined && onlyRunFlags(values)) {
      if (!existsSync(last)) {
        throw usageError(
          `train --resume: ${config.outDir} has no last.safetensors to resume; give the run's config (-c) or its flags to start it`,
        );
      }
      const stored: TrainConfig = (await t.loadCheckpoint(last)).meta.config;
      // The config fields' flags come from the schema at run time, so they are read untyped.
      const fields: AnyFlagValues = values;
      config = {
        ...stored,
        outDir: config.outDir,
        budget: config.budget,
        backend: str(fields, "backend") ?? stored.backend,
        threads: fields.threads === undefined ? stored.threads : config.threads,
      };
    }
    if (values["dry-run"] === true) {
      if (!json) io.stdout.write(stringify(config));
      return { config };
    }
    if (values.resume !== true) {
      // A new run would replace the checkpoints of the one in the folder and append to its metrics.jsonl.
      const previous = await existingRunFiles(config.outDir);
      if (previous.length > 0 && values.overwrite !== true) {
        throw usageError(
          `train: ${config.outDir} already holds a run (${previous.join(", ")}); continue it with --resume or replace it with --overwrite`,
        );
      }
      if (previous.length > 0) await removeRunFiles(config.outDir);
    }
    const result = await t.train(config, {
      resume: values.resume === true,
      signal: io.signal,
      progress: values.quiet === true ? false : io.stderr,
    });
    if (io.signal?.aborted) {
      throw new CliError(
        "ERR_RUNTIME",
        `interrupted at ${result.stage} iteration ${result.iteration}; continue with --resume`,
      );
    }
    const plots = await writeRunPlots(result.outDir, { title: `BCP on ${config.data.kind}` });
    const summary = {
      status: result.status,
      stage: result.stage,
      iteration: result.iteration,
      backend: result.backend,
      threads: result.backend.startsWith("ort-") ? (config.threads ?? 1) : t.backendInfo().threads,
      outDir: result.outDir,
      evaluation: result.report?.evaluation,
      plots,
    };
    if (!json) {
      if (result.status === "stopped") {
        io.stdout.write(`stopped at ${result.stage} iteration ${result.iteration} (budget); continue with --resume\n`);
      } else if (result.report?.evaluation) {
        const names = contractForConfig(config).classes.map((c) => c.name);
        io.stdout.write(`${diceTable(names, [{ name: "BCP", ...result.report.evaluation }])}\n`);
      }
      io.stdout.write(
        `run folder: ${result.outDir}\nplots: ${plots.curvesSvg}${plots.diceSvg ? `, ${plots.diceSvg}` : ""}\n`,
      );
    }
    return summary;
  },
});

// Flags that may differ between a run and its resumption (the rest would change the training), and global ones.
const RUN_FLAGS = new Set([
  "resume",
  "out",
  "backend",
  "threads",
  "max-iterations",
  "max-seconds",
  "quiet",
  "dry-run",
  "json",
  "help",
]);

function onlyRunFlags(values: Record<string, unknown>): boolean {
  return Object.entries(values).every(([k, v]) => v === undefined || RUN_FLAGS.has(k));
}
