import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { defineCommand } from "../cli/command.ts";
import { str } from "../cli/parse-flags.ts";
import { usageError } from "../errors/cli-error.ts";
import { listInputs, stemOf } from "../io/list-inputs.ts";
import { checkpointPredictor } from "../model/checkpoint-predictor.ts";
import { findCheckpoint } from "../model/find-checkpoint.ts";
import { onnxPredictor } from "../model/onnx-predictor.ts";

export const predictCommand = defineCommand({
  name: "predict",
  summary: "segment PNG, NIfTI or HDF5 images (files or folders) into label maps with an ONNX model or a checkpoint",
  usage: "<model.onnx | checkpoint.safetensors | run-folder> <inputs...> [options]",
  description:
    "The model comes first, as in `serve` (or as --model, then every argument is an input). Both kinds run\n" +
    "core's one inference pipeline (the one `serve` answers with) in process, no HTTP: an .onnx model on the\n" +
    "session `serve` opens (graph hash checked), a checkpoint (or a run folder's best one) on tfjs with the\n" +
    "contract its export would carry. PNG in → label PNG out; NIfTI in → NIfTI label volume with the input's\n" +
    "geometry; HDF5 (ACDC/LA layouts, dataset `image`) → PNG for 2D, NIfTI for 3D.",
  options: {
    model: {
      type: "string",
      short: "m",
      placeholder: "file",
      description: "Exported .onnx model, .safetensors checkpoint or run folder (instead of the first argument)",
    },
    out: { type: "string", short: "o", placeholder: "dir", description: "Output folder", defaultText: "predictions" },
    "largest-component": { type: "boolean", description: "Keep the largest connected component per class" },
    "no-largest-component": { type: "boolean", description: "Never post-process (default: the model contract)" },
    dataset: { type: "string", placeholder: "name", description: "HDF5 dataset to read", defaultText: "image" },
    backend: {
      type: "string",
      placeholder: "name",
      description: "tfjs backend (checkpoints)",
      defaultText: "the run's",
    },
  },
  examples: [
    "bcpseg predict model.onnx scans/ -o labels/",
    "bcpseg predict model.onnx case01.nii.gz --largest-component",
    "bcpseg predict runs/synth data/slices/ -o labels/",
    "bcpseg predict -m model.onnx image.png",
  ],
  async run({ values, positionals, io, json }) {
    const flagModel = str(values, "model");
    const modelPath = flagModel ?? positionals[0];
    const images = flagModel === undefined ? positionals.slice(1) : positionals;
    if (modelPath === undefined)
      throw usageError("predict: give a model (.onnx, checkpoint or run folder), then images");
    if (images.length === 0) throw usageError(`predict: give at least one image file or folder after ${modelPath}`);
    if (values["largest-component"] === true && values["no-largest-component"] === true) {
      throw usageError("predict: --largest-component and --no-largest-component exclude each other");
    }
    const inputs = await listInputs(images.map((p) => resolve(io.cwd, p)));
    const outDir = resolve(io.cwd, str(values, "out") ?? "predictions");
    await mkdir(outDir, { recursive: true });
    const model = resolve(io.cwd, modelPath);
    const predictor = model.toLowerCase().endsWith(".onnx")
      ? await onnxPredictor(model)
      : await checkpointPredictor(await findCheckpoint(model), str(values, "backend"));
    const largestComponent =
      values["largest-component"] === true ? true : values["no-largest-component"] === true ? false : undefined;
    const dataset = str(values, "dataset") ?? "image";
    const results: Array<{ input: string; output: string; shape: number[]; counts: number[] }> = [];
    try {
      for (const [i, input] of inputs.entries()) {
        const p = await predictor.predict(input, { dataset, largestComponent });
        const output = join(outDir, `${stemOf(input.path)}_seg.${p.format === "png" ? "png" : "nii.gz"}`);
        await writeFile(output, p.bytes);
        const counts: number[] = [];
        for (const v of p.labels) counts[v] = (counts[v] ?? 0) + 1;
        results.push({ input: input.path, output, shape: p.shape, counts: Array.from(counts, (c) => c ?? 0) });
        if (!json) io.stdout.write(`${output}\n`);
        else io.stderr.write(`[${i + 1}/${inputs.length}] ${output}\n`);
      }
    } finally {
      await predictor.dispose();
    }
    return { model, outputs: results };
  },
});
