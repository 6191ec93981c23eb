import { readFile } from "node:fs/promises";
import { assembleDicomSeries, type DicomSeries, readDicom } from "@bcpseg/core";

/** Reads one series' files in full and assembles the volume (core's readDicom and assembleDicomSeries). */
export async function loadDicomSeries(files: readonly string[]): Promise<DicomSeries> {
  const instances = [];
  for (const f of files) instances.push(readDicom(new Uint8Array(await readFile(f))));
  return assembleDicomSeries(instances);
}
