import { mkdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { CliIo } from "../cli/command.ts";
import { defineCommand } from "../cli/command.ts";
import { CommandResult } from "../cli/command-result.ts";
import { str } from "../cli/parse-flags.ts";
import { dicomToNifti, seriesStem } from "../dicom/dicom-to-nifti.ts";
import { findDicomFiles } from "../dicom/find-dicom-files.ts";
import { loadDicomSeries } from "../dicom/load-dicom-series.ts";
import { type DicomScan, type ScannedSeries, scanDicomSeries } from "../dicom/scan-dicom-series.ts";
import { inputError, usageError } from "../errors/cli-error.ts";
import { EXIT } from "../errors/exit-codes.ts";
import { formatTable } from "../format/table.ts";
import { writeFileAtomic } from "../io/write-file-atomic.ts";

const fmt = (v: readonly number[] | undefined, digits = 4) =>
  v ? v.map((x) => Number(x.toFixed(digits))).join(" x ") : "-";

/** The report `bcpseg data inspect` prints for DICOM files: one row per series, then every problem. */
export function printDicomReport(io: CliIo, root: string, scan: DicomScan): void {
  io.stdout.write(`${root}: ${scan.series.length} DICOM series\n`);
  if (scan.series.length > 0) {
    const rows = scan.series.map((s) => [
      s.seriesNumber ?? "",
      s.modality || "-",
      s.slices,
      `${s.rows} x ${s.columns}`,
      fmt(s.spacing),
      s.imageOrientationPatient ? s.imageOrientationPatient.map((v) => Number(v.toFixed(3))).join("\\") : "-",
      s.problems.length,
      s.seriesInstanceUid,
    ]);
    const head = ["#", "modality", "slices", "rows x cols", "spacing (mm)", "orientation", "problems", "series UID"];
    io.stdout.write(`${formatTable(head, rows)}\n`);
  }
  for (const s of scan.series) {
    for (const p of s.problems) io.stdout.write(`problem ${p.code} (series ${s.seriesInstanceUid}): ${p.message}\n`);
  }
  for (const p of scan.unreadable) io.stdout.write(`problem ${p.code} (${p.file}): ${p.message}\n`);
  const n = scan.unreadable.length + scan.series.reduce((k, s) => k + s.problems.length, 0);
  io.stdout.write(n === 0 ? "no problems found\n" : `${n} problem(s) found\n`);
}

/** The JSON of a DICOM inspect report. */
export function dicomReportJson(root: string, scan: DicomScan) {
  const problems = scan.unreadable.length + scan.series.reduce((k, s) => k + s.problems.length, 0);
  return {
    root,
    layout: "dicom",
    seriesCount: scan.series.length,
    series: scan.series.map(({ files, ...s }) => ({ ...s, files: files.length })),
    unreadable: scan.unreadable,
    problems,
  };
}

/** Scans a DICOM file or folder, or says there is none (undefined). */
export async function scanDicomPath(path: string): Promise<DicomScan | undefined> {
  const files = await findDicomFiles(path);
  return files.length === 0 ? undefined : scanDicomSeries(files);
}

function pick(scan: DicomScan, uid: string | undefined): ScannedSeries[] {
  if (uid === undefined) return scan.series;
  const s = scan.series.find((x) => x.seriesInstanceUid === uid);
  if (!s) throw inputError(`no series ${uid}; there are ${scan.series.map((x) => x.seriesInstanceUid).join(", ")}`);
  return [s];
}

export const convertCommand = defineCommand({
  name: "convert",
  summary: "write DICOM series as NIfTI (.nii.gz) with their geometry, for training",
  usage: "<DICOM file or folder> --out <file.nii.gz | dir> [options]",
  description:
    "Reads every DICOM series under the path (grouped by SeriesInstanceUID, slices sorted along the slice normal,\n" +
    "modality values: Hounsfield units for CT) and writes each as a gzipped NIfTI-1 volume [columns, rows, slices]\n" +
    "with the DICOM geometry as its sform/qform (LPS turned to RAS). One series: --out is the file (or a folder\n" +
    "to write <SeriesInstanceUID>.nii.gz into); several: --out is a folder. Files are written atomically; series\n" +
    "that do not form one volume are reported and skipped (exit 3).",
  options: {
    out: {
      type: "string",
      short: "o",
      placeholder: "file|dir",
      description: "Output .nii.gz file or folder (required)",
    },
    series: { type: "string", placeholder: "uid", description: "Convert only this SeriesInstanceUID" },
  },
  examples: ["bcpseg data convert scans/ct-series --out ct.nii.gz", "bcpseg data convert study/ --out nifti/ --json"],
  async run({ values, positionals, io, json }) {
    if (positionals.length !== 1) throw usageError("data convert: give one DICOM file or folder");
    const out = str(values, "out");
    if (!out) throw usageError("data convert: --out <file.nii.gz | dir> is required");
    const root = resolve(io.cwd, positionals[0]);
    const scan = await scanDicomPath(root);
    if (!scan) throw inputError(`${root}: no DICOM Part 10 files`);
    const chosen = pick(scan, str(values, "series"));
    const target = resolve(io.cwd, out);
    const isDir = (await stat(target).catch(() => undefined))?.isDirectory() ?? false;
    const asFile = /\.nii(\.gz)?$/i.test(out) && !isDir;
    if (asFile && chosen.length > 1) {
      throw usageError(`data convert: ${chosen.length} series found; give a folder as --out, or --series <uid>`);
    }
    if (!asFile) await mkdir(target, { recursive: true });
    else await mkdir(dirname(target), { recursive: true });
    const written: Array<{ series: string; output: string; shape: number[]; spacing: number[] }> = [];
    const failed: Array<{ series: string; code: string; message: string }> = [];
    for (const s of chosen) {
      if (s.problems.length > 0) {
        failed.push({ series: s.seriesInstanceUid, code: s.problems[0].code, message: s.problems[0].message });
        continue;
      }
      const series = await loadDicomSeries(s.files);
      const output = asFile ? target : join(target, `${seriesStem(series)}.nii.gz`);
      await writeFileAtomic(output, dicomToNifti(series));
      written.push({ series: s.seriesInstanceUid, output, shape: [...series.shape], spacing: [...series.spacing] });
      if (!json)
        io.stdout.write(`${output}: [${series.shape.join(", ")}] ${fmt(series.spacing)} mm (${series.modality})\n`);
    }
    for (const f of failed) if (!json) io.stdout.write(`skipped series ${f.series}: ${f.code}: ${f.message}\n`);
    for (const p of scan.unreadable) if (!json) io.stdout.write(`unreadable ${p.file}: ${p.code}: ${p.message}\n`);
    const doc = { root, written, failed, unreadable: scan.unreadable };
    return failed.length > 0 || written.length === 0 ? new CommandResult(doc, EXIT.input) : doc;
  },
});
