import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Dataset } from "@bcpseg/trainer";
import { defineCommand } from "../cli/command.ts";
import { CommandResult } from "../cli/command-result.ts";
import { choice, intList, num, str } from "../cli/parse-flags.ts";
import { inputError, usageError } from "../errors/cli-error.ts";
import { EXIT } from "../errors/exit-codes.ts";
import { formatTable } from "../format/table.ts";
import { writeSynthDataset } from "../io/write-synth-dataset.ts";
import { loadTrainer } from "../model/trainer-lib.ts";
import { convertCommand, dicomReportJson, printDicomReport, scanDicomPath } from "./data-dicom.ts";

const synthCommand = defineCommand({
  name: "synth",
  summary: "write the synthetic phantom set (2D cardiac slices as PNG, 3D blobs as NIfTI)",
  usage: "--out <dir> [options]",
  options: {
    out: { type: "string", short: "o", placeholder: "dir", description: "Output folder (required)" },
    kind: {
      type: "string",
      placeholder: "2d|3d",
      description: "2d: images/ + masks/ PNG; 3d: imagesTr/ + labelsTr/ NIfTI",
      defaultText: "2d",
    },
    patients: {
      type: "string",
      placeholder: "n",
      description: "2D patients (10 slices each) or 3D volumes",
      defaultText: "10 / 4",
    },
    size: { type: "string", placeholder: "h,w[,d]", description: "Image size", defaultText: "128,128 / 64,64,48" },
    seed: { type: "string", placeholder: "n", description: "Generator seed", defaultText: "0" },
  },
  examples: ["bcpseg data synth --out phantom", "bcpseg data synth --out blobs --kind 3d --patients 8"],
  async run({ values, io, json }) {
    const out = str(values, "out");
    if (!out) throw usageError("data synth: --out <dir> is required");
    const kind = choice(values, "kind", ["2d", "3d"] as const) ?? "2d";
    const size = intList(values, "size");
    if (size && size.length !== (kind === "2d" ? 2 : 3))
      throw usageError(`--size needs ${kind === "2d" ? 2 : 3} numbers for --kind ${kind}`);
    const dir = resolve(io.cwd, out);
    const r = await writeSynthDataset(dir, {
      kind,
      patients: num(values, "patients", { int: true, min: 1 }) ?? (kind === "2d" ? 10 : 4),
      size,
      seed: num(values, "seed", { int: true }) ?? 0,
      onFile: json ? undefined : (done, total) => io.stderr.isTTY && io.stderr.write(`\rwriting ${done}/${total}`),
    });
    if (!json) {
      if (io.stderr.isTTY) io.stderr.write("\n");
      io.stdout.write(
        `${dir}: ${r.ids.length} ${kind === "2d" ? "slices" : "volumes"} of [${r.shape.join(", ")}] (${r.layout})\n`,
      );
    }
    return { dir, layout: r.layout, samples: r.ids.length, shape: r.shape };
  },
});

const inspectCommand = defineCommand({
  name: "inspect",
  summary: "report a dataset folder's or DICOM files' layout, sizes, series and problems (exit 3 when it has problems)",
  usage: "<dir | DICOM file or folder> [options]",
  description:
    "A path holding DICOM Part 10 files (found by content, at any depth) is reported as DICOM: the series\n" +
    "(grouped by SeriesInstanceUID) with modality, slices, rows x columns, spacing, orientation and every problem\n" +
    "(mixed or missing slices, inconsistent geometry, transfer syntaxes whose pixels cannot be decoded). Headers\n" +
    "only: no pixel is decoded. Other folders are reported as datasets (layout, splits, label values).",
  options: { limit: { type: "string", placeholder: "n", description: "Read at most n samples per split" } },
  examples: [
    "bcpseg data inspect ../shared/data/ACDC --limit 50",
    "bcpseg data inspect phantom --json",
    "bcpseg data inspect scans/study1",
  ],
  async run({ values, positionals, io, json }) {
    if (positionals.length !== 1) throw usageError("data inspect: give one dataset folder, or DICOM file or folder");
    const root = resolve(io.cwd, positionals[0]);
    const dicom = await scanDicomPath(root);
    if (dicom) {
      if (!json) printDicomReport(io, root, dicom);
      const doc = dicomReportJson(root, dicom);
      return doc.problems === 0 ? doc : new CommandResult(doc, EXIT.input);
    }
    const t = await loadTrainer();
    const report = await t.inspectDataset(root, {
      limit: num(values, "limit", { int: true, min: 1 }),
    });
    if (!json) {
      io.stdout.write(`${report.root}: layout ${report.layout}\n`);
      if (report.splits.length > 0) {
        const rows = report.splits.map((s) => [
          s.name,
          s.samples,
          s.patients,
          s.labeled,
          s.shapeMin.join() === s.shapeMax.join()
            ? `[${s.shapeMin.join(", ")}]`
            : `[${s.shapeMin.join(", ")}]..[${s.shapeMax.join(", ")}]`,
          s.labelValues.join(" "),
        ]);
        io.stdout.write(`${formatTable(["split", "samples", "patients", "labeled", "shape", "labels"], rows)}\n`);
      }
      for (const p of report.problems) io.stdout.write(`problem ${p.code}: ${p.message}\n`);
      io.stdout.write(
        report.problems.length === 0 ? "no problems found\n" : `${report.problems.length} problem(s) found\n`,
      );
    }
    return report.problems.length === 0 ? report : new CommandResult(report, EXIT.input);
  },
});

const splitCommand = defineCommand({
  name: "split",
  summary: "split a dataset's training patients into labeled and unlabeled, as the reference does",
  usage: "<dir> (--labeled-patients n | --labeled-fraction f) [options]",
  options: {
    "labeled-patients": { type: "string", placeholder: "n", description: "Label the first n patients" },
    "labeled-fraction": { type: "string", placeholder: "f", description: "Label this fraction of the patients (0..1]" },
    out: { type: "string", short: "o", placeholder: "file", description: "Write the split as JSON here" },
  },
  examples: [
    "bcpseg data split ../shared/data/ACDC --labeled-patients 3",
    "bcpseg data split phantom --labeled-fraction 0.05 -o split.json",
  ],
  async run({ values, positionals, io, json }) {
    if (positionals.length !== 1) throw usageError("data split: give one dataset folder");
    const n = num(values, "labeled-patients", { int: true, min: 1 });
    const f = num(values, "labeled-fraction");
    if ((n === undefined) === (f === undefined))
      throw usageError("data split: give --labeled-patients or --labeled-fraction");
    const t = await loadTrainer();
    const root = resolve(io.cwd, positionals[0]);
    const ds = await openTrainingSet(t, root);
    const split = t.splitByPatients(ds.patients, n !== undefined ? { labeledPatients: n } : { labeledFraction: f! });
    const doc = {
      root,
      dataset: ds.name,
      labeledPatients: split.labeledPatients,
      labeled: split.labeled.map((i) => ds.ids[i]),
      unlabeled: split.unlabeled.map((i) => ds.ids[i]),
    };
    const out = str(values, "out");
    if (out) {
      const p = resolve(io.cwd, out);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, `${JSON.stringify(doc, null, 2)}\n`);
    }
    if (!json) {
      io.stdout.write(
        `${ds.name}: ${doc.labeled.length} labeled samples (patients ${doc.labeledPatients.join(", ")}), ${doc.unlabeled.length} unlabeled${out ? ` -> ${out}` : ""}\n`,
      );
    }
    return doc;
  },
});

async function openTrainingSet(t: typeof import("@bcpseg/trainer"), root: string): Promise<Dataset> {
  const report = await t.inspectDataset(root, { limit: 1 });
  switch (report.layout) {
    case "acdc-h5":
      return t.AcdcDataset.open(root, { split: "train" });
    case "la-h5":
      return t.LaDataset.open(root, { split: "train" });
    case "nifti":
      return t.NiftiFolderDataset.open(root);
    case "png":
      return t.PngFolderDataset.open(root);
    default:
      throw inputError(`${root}: ${report.problems[0]?.message ?? "not a dataset folder"}`);
  }
}

export const dataCommand = defineCommand({
  name: "data",
  summary:
    "datasets: synth (write phantoms), split (labeled/unlabeled), inspect (report problems), convert (DICOM to NIfTI)",
  subcommands: [synthCommand, splitCommand, inspectCommand, convertCommand],
});
