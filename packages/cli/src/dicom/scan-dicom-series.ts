import { readFile } from "node:fs/promises";
import {
  checkDicomPixels,
  type DicomInstance,
  groupDicomSeries,
  isBcpError,
  planDicomSeries,
  readDicom,
} from "@bcpseg/core";

/** A problem found in a file or a series: the error's code, its reason and its one line. */
export interface DicomProblem {
  readonly code: string;
  readonly reason?: string;
  readonly message: string;
  readonly file?: string;
}

/** One series of a scan: its files and what inspect reports (geometry only when it forms one volume). */
export interface ScannedSeries {
  readonly seriesInstanceUid: string;
  readonly modality: string;
  readonly seriesDescription: string;
  readonly seriesNumber?: number;
  readonly patientId: string;
  readonly studyInstanceUid: string;
  readonly files: string[];
  /** Slices of the volume (frames of all files). */
  readonly slices: number;
  readonly rows: number;
  readonly columns: number;
  /** [column, row, slice] mm, when the series forms a volume. */
  readonly spacing?: readonly number[];
  readonly imageOrientationPatient?: readonly number[];
  readonly transferSyntaxes: string[];
  readonly problems: DicomProblem[];
}

/** A scan of DICOM files: the series found, and the files that are not readable DICOM. */
export interface DicomScan {
  readonly series: ScannedSeries[];
  readonly unreadable: DicomProblem[];
}

const problemOf = (e: unknown, file?: string): DicomProblem => {
  if (!isBcpError(e)) throw e;
  const reason = (e.details as { reason?: unknown } | undefined)?.reason;
  return {
    code: e.code,
    ...(typeof reason === "string" ? { reason } : {}),
    message: e.message,
    ...(file ? { file } : {}),
  };
};

/**
 * Reads the headers of DICOM files one at a time (each file's bytes are let go after its header), groups them by
 * SeriesInstanceUID and checks each series as loading it would: the geometry (planDicomSeries) and whether every
 * file's pixels can be decoded (checkDicomPixels); nothing is decoded. Memory stays at the headers.
 */
export async function scanDicomSeries(files: readonly string[]): Promise<DicomScan> {
  const headers: DicomInstance[] = [];
  const fileOf = new Map<DicomInstance, string>();
  const unreadable: DicomProblem[] = [];
  const pixelProblems = new Map<DicomInstance, DicomProblem>();
  for (const file of files) {
    try {
      const full = readDicom(new Uint8Array(await readFile(file)));
      const header: DicomInstance = { ...full, bytes: new Uint8Array(0) };
      try {
        checkDicomPixels(full);
      } catch (e) {
        pixelProblems.set(header, problemOf(e, file));
      }
      headers.push(header);
      fileOf.set(header, file);
    } catch (e) {
      unreadable.push(problemOf(e, file));
    }
  }
  const series: ScannedSeries[] = [];
  for (const [uid, group] of groupDicomSeries(headers)) {
    const problems: DicomProblem[] = [];
    const seen = new Set<string>();
    for (const i of group) {
      const p = pixelProblems.get(i);
      const key = `${p?.code}:${p?.reason}`;
      if (p && !seen.has(key)) {
        seen.add(key);
        problems.push(p);
      }
    }
    let plan: ReturnType<typeof planDicomSeries> | undefined;
    try {
      plan = planDicomSeries(group);
    } catch (e) {
      problems.push(problemOf(e));
    }
    const first = group[0];
    series.push({
      seriesInstanceUid: uid,
      modality: first.modality,
      seriesDescription: first.seriesDescription,
      seriesNumber: first.seriesNumber,
      patientId: first.patientId,
      studyInstanceUid: first.studyInstanceUid,
      files: group.map((i) => fileOf.get(i) as string),
      slices: group.reduce((n, i) => n + i.frames, 0),
      rows: first.rows,
      columns: first.columns,
      spacing: plan?.spacing,
      imageOrientationPatient: plan?.imageOrientationPatient ?? first.imageOrientationPatient,
      transferSyntaxes: [...new Set(group.map((i) => i.transferSyntax.name))],
      problems,
    });
  }
  return { series, unreadable };
}
