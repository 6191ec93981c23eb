import type { DicomInstance } from "./dicom-instance.ts";

/** Instances grouped by SeriesInstanceUID, in first-seen order (files without one form the "" group). */
export function groupDicomSeries(instances: readonly DicomInstance[]): Map<string, DicomInstance[]> {
  const out = new Map<string, DicomInstance[]>();
  for (const i of instances) {
    const g = out.get(i.seriesInstanceUid);
    if (g) g.push(i);
    else out.set(i.seriesInstanceUid, [i]);
  }
  return out;
}
