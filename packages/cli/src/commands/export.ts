import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_CALIBRATION } from "@bcpseg/trainer";
import { defineCommand } from "../cli/command.ts";
import { choice, num, str } from "../cli/parse-flags.ts";
import { usageError } from "../errors/cli-error.ts";
import { type ExportPrecision, exportStudent, modelFileName } from "../model/export-student.ts";
import { findCheckpoint } from "../model/find-checkpoint.ts";
import { loadStudent } from "../model/load-student.ts";
import { loadTrainer } from "../model/trainer-lib.ts";

const ALIASES: Record<string, ExportPrecision> = {
  fp32: "fp32",
  fp16: "fp16",
  int8: "int8-static",
  "int8-static": "int8-static",
  "int8-weights": "int8-weights",
};

export const exportCommand = defineCommand({
  name: "export",
  summary: "export a trained student to ONNX (fp32, fp16, int8 weights-only or static int8 with calibration)",
  usage: "<checkpoint | run-folder> [options]",
  description:
    "A run folder exports its best checkpoint (self-train, else pre-train). The model carries its contract,\n" +
    "training config, split and validation metrics as ONNX metadata; the edge API refuses models without them.",
  options: {
    precision: {
      type: "string",
      short: "p",
      placeholder: "p",
      description: "fp32, fp16, int8 (= int8-static), int8-weights",
      defaultText: "int8",
    },
    out: {
      type: "string",
      short: "o",
      placeholder: "file",
      description: "Output .onnx file",
      defaultText: "<run>/model-int8.onnx (model-fp32.onnx, model-fp16.onnx, model-int8-weights.onnx)",
    },
    calibration: {
      type: "string",
      placeholder: "n",
      description: "int8: calibration images from the training set",
      defaultText: "16",
    },
    "calibration-method": {
      type: "string",
      placeholder: "m",
      description: "int8: minmax or percentile (the one BENCHMARKS.md measured)",
      defaultText: DEFAULT_CALIBRATION.method,
    },
    percentile: {
      type: "string",
      placeholder: "p",
      description: "int8 percentile method: p in (50, 100]",
      defaultText: String(DEFAULT_CALIBRATION.percentile),
    },
    labels: { type: "boolean", description: "Also output the argmax label map" },
    backend: {
      type: "string",
      placeholder: "name",
      description: "tfjs backend used to load the checkpoint",
      defaultText: "cpu",
    },
  },
  examples: [
    "bcpseg export runs/synth",
    "bcpseg export runs/acdc/selftrain-best.safetensors -p fp16 -o acdc-fp16.onnx",
  ],
  async run({ values, positionals, io, json }) {
    if (positionals.length !== 1) throw usageError("export: give one checkpoint file or run folder");
    const precisionName = str(values, "precision") ?? "int8";
    const precision = ALIASES[precisionName];
    if (!precision)
      throw usageError(`--precision must be one of ${Object.keys(ALIASES).join(", ")}, got "${precisionName}"`);
    const ckpt = await findCheckpoint(resolve(io.cwd, positionals[0]));
    const student = await loadStudent(ckpt, str(values, "backend") ?? "cpu");
    try {
      const t0 = performance.now();
      const { bytes, contract, calibrationImages } = await exportStudent(student, {
        precision,
        calibrationImages: num(values, "calibration", { int: true, min: 1 }),
        calibrationMethod: choice(values, "calibration-method", ["minmax", "percentile"] as const),
        percentile: num(values, "percentile"),
        labels: values.labels === true,
      });
      const out = resolve(io.cwd, str(values, "out") ?? join(dirname(ckpt), modelFileName(precision)));
      await mkdir(dirname(out), { recursive: true });
      const t = await loadTrainer();
      await t.writeModelAtomic(out, bytes);
      const summary = {
        model: out,
        checkpoint: ckpt,
        precision,
        bytes: bytes.length,
        contract: contract.name,
        calibrationImages,
        seconds: (performance.now() - t0) / 1000,
      };
      if (!json) {
        io.stdout.write(`${out}: ${precision}, ${(bytes.length / 1024).toFixed(1)} KiB, contract ${contract.name}\n`);
      }
      return summary;
    } finally {
      student.model.dispose();
    }
  },
});
