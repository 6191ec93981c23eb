import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { defineCommand } from "../cli/command.ts";
import { choice, str } from "../cli/parse-flags.ts";
import { findDicomFiles } from "../dicom/find-dicom-files.ts";
import { DICOM_FORMATS, DICOM_OUTPUTS, predictDicomSeries } from "../dicom/predict-dicom.ts";
import { scanDicomSeries } from "../dicom/scan-dicom-series.ts";
import { inputError, usageError } from "../errors/cli-error.ts";
import { listInputs, stemOf } from "../io/list-inputs.ts";
import { checkpointPredictor } from "../model/checkpoint-predictor.ts";
import { findCheckpoint } from "../model/find-checkpoint.ts";
import { onnxPredictor } from "../model/onnx-predictor.ts";

export const predictCommand = defineCommand({
  name: "predict",
  summary:
    "segment PNG, NIfTI, HDF5 or DICOM images (files or folders) into label maps with an ONNX model or a checkpoint",
  usage: "<model.onnx | checkpoint.safetensors | run-folder> <inputs...> [options]",
  description:
    "The model comes first, as in `serve` (or as --model, then every argument is an input). Both kinds run\n" +
    "core's one inference pipeline (the one `serve` answers with) in process, no HTTP: an .onnx model on the\n" +
    "session `serve` opens (graph hash checked), a checkpoint (or a run folder's best one) on tfjs with the\n" +
    "contract its export would carry. PNG in → label PNG out; NIfTI in → NIfTI label volume with the input's\n" +
    "geometry; HDF5 (ACDC/LA layouts, dataset `image`) → PNG for 2D, NIfTI for 3D. DICOM files and folders (found\n" +
    "by content, any depth) are grouped by SeriesInstanceUID; each series is one volume (slices sorted along the\n" +
    "normal, modality values) labelled as a NIfTI volume would be, written as --format nifti (one\n" +
    "<SeriesInstanceUID>_seg.nii.gz with the DICOM geometry), png (<SeriesInstanceUID>_seg/0001.png... per slice)\n" +
    "or dicom-seg (<SeriesInstanceUID>.seg.dcm: a DICOM Segmentation referencing the series, a segment per class\n" +
    "with the contract's names and colours).",
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
    format: {
      type: "string",
      placeholder: DICOM_FORMATS.join("|"),
      description: "Label output of DICOM series",
      defaultText: "nifti",
    },
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
    "bcpseg predict model.onnx dicom/series1/ --format png",
    "bcpseg predict model.onnx dicom/series1/ --format dicom-seg",
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
    const format = choice(values, "format", DICOM_FORMATS) ?? "nifti";
    // DICOM first: a file that is DICOM Part 10, or a folder holding any, is read as DICOM series.
    const dicomFiles: string[] = [];
    const others: string[] = [];
    for (const p of images.map((p) => resolve(io.cwd, p))) {
      const found = await findDicomFiles(p);
      if (found.length > 0) dicomFiles.push(...found);
      else others.push(p);
    }
    const dicom = dicomFiles.length > 0 ? await scanDicomSeries([...new Set(dicomFiles)]) : undefined;
    const bad = dicom?.series.find((s) => s.problems.length > 0);
    if (bad)
      throw inputError(`DICOM series ${bad.seriesInstanceUid}: ${bad.problems[0].message} [${bad.problems[0].code}]`);
    const unreadable = dicom?.unreadable[0];
    if (unreadable) throw inputError(`${unreadable.file}: ${unreadable.message} [${unreadable.code}]`);
    const inputs = others.length > 0 ? await listInputs(others) : [];
    const outDir = resolve(io.cwd, str(values, "out") ?? "predictions");
    await mkdir(outDir, { recursive: true });
    const model = resolve(io.cwd, modelPath);
    const predictor = model.toLowerCase().endsWith(".onnx")
      ? await onnxPredictor(model)
      : await checkpointPredictor(await findCheckpoint(model), str(values, "backend"));
    const largestComponent =
      values["largest-component"] === true ? true : values["no-largest-component"] === true ? false : undefined;
    const dataset = str(values, "dataset") ?? "image";
    const results: Array<{ input: string; output: string; shape: number[]; counts: number[]; series?: string }> = [];
    const countsOf = (labels: Uint8Array) => {
      const counts: number[] = [];
      for (const v of labels) counts[v] = (counts[v] ?? 0) + 1;
      return Array.from(counts, (c) => c ?? 0);
    };
    const total = inputs.length + (dicom?.series.length ?? 0);
    try {
      for (const [i, s] of (dicom?.series ?? []).entries()) {
        const p = await predictDicomSeries(predictor, s.files, { largestComponent });
        const output = await DICOM_OUTPUTS[format](p, outDir);
        const input = s.files.length === 1 ? s.files[0] : dirname(s.files[0]);
        results.push({ input, series: s.seriesInstanceUid, output, shape: [...p.shape], counts: countsOf(p.labels) });
        if (!json) io.stdout.write(`${output}\n`);
        else io.stderr.write(`[${i + 1}/${total}] ${output}\n`);
      }
      for (const [i, input] of inputs.entries()) {
        const p = await predictor.predict(input, { dataset, largestComponent });
        const output = join(outDir, `${stemOf(input.path)}_seg.${p.format === "png" ? "png" : "nii.gz"}`);
        await writeFile(output, p.bytes);
        results.push({ input: input.path, output, shape: p.shape, counts: countsOf(p.labels) });
        if (!json) io.stdout.write(`${output}\n`);
        else io.stderr.write(`[${(dicom?.series.length ?? 0) + i + 1}/${total}] ${output}\n`);
      }
    } finally {
      await predictor.dispose();
    }
    return { model, outputs: results };
  },
});
