import { DicomError } from "./dicom-error.ts";
import type { DicomInstance } from "./dicom-instance.ts";
import { cross } from "./read-dicom.ts";

/** One slice of a planned series: a frame of an instance, at its place along the normal. */
export interface PlannedSlice {
  readonly instance: DicomInstance;
  /** 0-based frame of the instance. */
  readonly frame: number;
  readonly position: readonly [number, number, number];
}

/** The geometry of a series, checked, before any pixel is decoded. */
export interface DicomSeriesPlan {
  readonly slices: readonly PlannedSlice[];
  readonly rows: number;
  readonly columns: number;
  readonly spacing: readonly [number, number, number];
  readonly origin: readonly [number, number, number];
  readonly direction: readonly number[];
  readonly imageOrientationPatient: readonly number[];
  readonly pixelSpacing: readonly [number, number];
  readonly geometry: "patient" | "default";
}

const fn = "assembleDicomSeries";
const series = (reason: string, message: string, extra: Record<string, unknown> = {}) =>
  new DicomError("ERR_DICOM_SERIES", fn, message, { reason, ...extra });
const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Orders the frames of one series' instances along the slice normal (rows × columns of ImageOrientationPatient,
 * each ImagePositionPatient projected on it) and checks they make one regular volume: one SeriesInstanceUID and
 * frame of reference, the same Rows/Columns, orientation and PixelSpacing, no two slices at one position, in-plane
 * positions on one line along the normal, and uniform gaps (a gap of k steps is reported as k - 1 missing slices).
 * Every failure is an ERR_DICOM_SERIES whose `details.reason` names it.
 */
export function planDicomSeries(instances: readonly DicomInstance[]): DicomSeriesPlan {
  if (instances.length === 0) throw series("empty", "no DICOM images");
  const first = instances[0];
  const uids = new Set(instances.map((i) => i.seriesInstanceUid));
  if (uids.size > 1)
    throw series("mixed-series", `the files belong to ${uids.size} series (SeriesInstanceUID): give one`, {
      series: [...uids],
    });
  const fors = new Set(instances.map((i) => i.frameOfReferenceUid));
  if (fors.size > 1) throw series("mixed-frame-of-reference", `the files have ${fors.size} FrameOfReferenceUIDs`);
  const seen = new Set<string>();
  for (const i of instances) {
    if (i.rows !== first.rows || i.columns !== first.columns) {
      throw series(
        "mixed-dimensions",
        `images of ${first.rows} x ${first.columns} and ${i.rows} x ${i.columns} pixels (Rows x Columns)`,
      );
    }
    if (i.sopInstanceUid !== "" && seen.has(i.sopInstanceUid)) {
      throw series("duplicate-instance", `SOPInstanceUID ${i.sopInstanceUid} is given twice`);
    }
    seen.add(i.sopInstanceUid);
  }
  const frames: PlannedSlice[] = [];
  const missing = instances.some((i) =>
    i.frameGeometry.some((g) => !g.imagePositionPatient || !g.imageOrientationPatient),
  );
  for (const i of instances) {
    for (let f = 0; f < i.frames; f++)
      frames.push({ instance: i, frame: f, position: i.frameGeometry[f].imagePositionPatient ?? [0, 0, 0] });
  }
  const ps = first.frameGeometry[0].pixelSpacing ?? first.pixelSpacing ?? [1, 1];
  for (const s of frames) {
    const p = s.instance.frameGeometry[s.frame].pixelSpacing ?? ps;
    if (Math.abs(p[0] - ps[0]) > 1e-4 * ps[0] || Math.abs(p[1] - ps[1]) > 1e-4 * ps[1]) {
      throw series("mixed-spacing", `PixelSpacing ${ps.join("\\")} and ${p.join("\\")} in one series`);
    }
  }
  if (!(ps[0] > 0 && ps[1] > 0)) throw series("inconsistent-geometry", `PixelSpacing ${ps.join("\\")} is not positive`);
  const rows = first.rows;
  const columns = first.columns;
  if (missing) {
    if (frames.length > 1) {
      throw series(
        "no-geometry",
        `${frames.length} slices without ImagePositionPatient/ImageOrientationPatient cannot be ordered`,
      );
    }
    const z = first.spacingBetweenSlices ?? first.sliceThickness ?? 1;
    return {
      slices: frames,
      rows,
      columns,
      spacing: [ps[1], ps[0], z > 0 ? z : 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [ps[0], ps[1]],
      geometry: "default",
    };
  }
  const iop = first.frameGeometry[0].imageOrientationPatient as readonly number[];
  const r = iop.slice(0, 3);
  const c = iop.slice(3, 6);
  if (Math.abs(dot(r, r) - 1) > 1e-3 || Math.abs(dot(c, c) - 1) > 1e-3 || Math.abs(dot(r, c)) > 1e-3) {
    throw series(
      "inconsistent-geometry",
      `ImageOrientationPatient ${iop.join("\\")} is not two orthogonal unit vectors`,
    );
  }
  for (const s of frames) {
    const o = s.instance.frameGeometry[s.frame].imageOrientationPatient as readonly number[];
    if (o.some((v, k) => Math.abs(v - iop[k]) > 1e-4)) {
      throw series("mixed-orientation", `ImageOrientationPatient ${iop.join("\\")} and ${o.join("\\")} in one series`);
    }
  }
  const n = cross(iop);
  const sorted = frames.map((s) => ({ s, d: dot(s.position, n) })).sort((a, b) => a.d - b.d);
  const p0 = sorted[0].s.position;
  // Every position must be p0 moved along the normal: an in-plane offset is a sheared or tilted stack.
  for (const { s, d } of sorted) {
    const t = d - sorted[0].d;
    const off = Math.hypot(
      s.position[0] - p0[0] - t * n[0],
      s.position[1] - p0[1] - t * n[1],
      s.position[2] - p0[2] - t * n[2],
    );
    if (off > 0.01 + 1e-3 * Math.abs(t)) {
      throw series(
        "inconsistent-geometry",
        `slice at ${s.position.join("\\")} is ${off.toFixed(3)} mm off the line of slice 0 along the normal`,
      );
    }
  }
  let z = first.spacingBetweenSlices ?? first.sliceThickness ?? 1;
  if (sorted.length > 1) {
    const gaps = sorted.slice(1).map((e, k) => e.d - sorted[k].d);
    const dup = gaps.findIndex((g) => g < 1e-3);
    if (dup >= 0) {
      const s = sorted[dup + 1].s;
      throw series(
        "duplicate-slices",
        `two slices at position ${s.position.join("\\")} (${s.instance.sopInstanceUid})`,
      );
    }
    const step = Math.min(...gaps);
    const tol = Math.max(0.01, 0.02 * step);
    let lost = 0;
    for (const g of gaps) {
      const k = Math.round(g / step);
      if (Math.abs(g - k * step) > tol * k) {
        throw series(
          "non-uniform-spacing",
          `slice gaps of ${step.toFixed(4)} and ${g.toFixed(4)} mm are not one spacing`,
        );
      }
      lost += k - 1;
    }
    if (lost > 0) {
      throw series(
        "missing-slices",
        `${lost} slice(s) missing: gaps of ${step.toFixed(4)} mm have holes of ${Math.max(...gaps).toFixed(4)} mm`,
        { missing: lost },
      );
    }
    z = (sorted[sorted.length - 1].d - sorted[0].d) / (sorted.length - 1);
  }
  return {
    slices: sorted.map((e) => e.s),
    rows,
    columns,
    spacing: [ps[1], ps[0], z > 0 ? z : 1],
    origin: [p0[0], p0[1], p0[2]],
    direction: [r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]],
    imageOrientationPatient: [...iop],
    pixelSpacing: [ps[0], ps[1]],
    geometry: "patient",
  };
}
