import { type DecodeDicomFramesOptions, decodeDicomFrames } from "./decode-dicom-frames.ts";
import { DicomError } from "./dicom-error.ts";
import type { DicomInstance } from "./dicom-instance.ts";
import type { DicomSeries } from "./dicom-series.ts";
import { type DicomSeriesPlan, planDicomSeries } from "./plan-dicom-series.ts";

/**
 * One series' instances (single- or multi-frame, any order) as a {@link DicomSeries}: planDicomSeries orders and
 * checks the geometry, the volume's voxels are checked against `maxVoxels` before anything is allocated, then each
 * instance's frames are decoded once (decodeDicomFrames) and laid into [X, Y, Z].
 */
export function assembleDicomSeries(
  instances: readonly DicomInstance[],
  options: DecodeDicomFramesOptions = {},
): DicomSeries {
  const plan = planDicomSeries(instances);
  const X = plan.columns;
  const Y = plan.rows;
  const Z = plan.slices.length;
  const maxVoxels = options.maxVoxels ?? 2 ** 27;
  if (X * Y * Z > maxVoxels) {
    throw new DicomError(
      "ERR_DICOM_LIMIT",
      "assembleDicomSeries",
      `${Y} x ${X} x ${Z} slices is more than maxVoxels ${maxVoxels}`,
      {
        reason: "voxels",
        limit: maxVoxels,
      },
    );
  }
  const data = new Float32Array(X * Y * Z);
  const decoded = new Map<DicomInstance, Float32Array>();
  const left = new Map<DicomInstance, number>(instances.map((i) => [i, i.frames]));
  const n = X * Y;
  // z is the fastest axis of the volume: slices are laid in blocks of B, so each (x, y) writes B neighbouring
  // floats (a cache line) instead of one float per slice far apart.
  const B = 16;
  for (let z0 = 0; z0 < Z; z0 += B) {
    const block = plan.slices.slice(z0, z0 + B).map((s) => {
      let frames = decoded.get(s.instance);
      if (!frames) {
        frames = decodeDicomFrames(s.instance, options);
        decoded.set(s.instance, frames);
      }
      // Each instance is decoded in full once; its frames are let go when the last of them is placed.
      const k = (left.get(s.instance) ?? 1) - 1;
      left.set(s.instance, k);
      if (k === 0) decoded.delete(s.instance);
      return frames.subarray(s.frame * n, (s.frame + 1) * n);
    });
    const b = block.length;
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++) {
        const to = (x * Y + y) * Z + z0;
        const from = y * X + x;
        for (let k = 0; k < b; k++) data[to + k] = block[k][from];
      }
    }
  }
  return { data, ...dicomSeriesHeader(plan, instances[0]) };
}

/**
 * Everything of a {@link DicomSeries} but its voxels, from the plan (headers only): geometry, per-slice references in
 * volume order and the series' attributes (those of `first`, the series' first file as given) — what a DICOM SEG of the series refers to, known before any pixel is read.
 */
export function dicomSeriesHeader(plan: DicomSeriesPlan, first: DicomInstance): Omit<DicomSeries, "data"> {
  return {
    shape: [plan.columns, plan.rows, plan.slices.length],
    spacing: plan.spacing,
    origin: plan.origin,
    direction: plan.direction,
    geometry: plan.geometry,
    slices: plan.slices.map((s) => ({
      sopClassUid: s.instance.sopClassUid,
      sopInstanceUid: s.instance.sopInstanceUid,
      frameNumber: s.instance.frames > 1 ? s.frame + 1 : undefined,
      imagePositionPatient: [s.position[0], s.position[1], s.position[2]],
    })),
    studyInstanceUid: first.studyInstanceUid,
    seriesInstanceUid: first.seriesInstanceUid,
    frameOfReferenceUid: first.frameOfReferenceUid,
    patientId: first.patientId,
    patientName: first.patientName,
    patientBirthDate: first.patientBirthDate,
    patientSex: first.patientSex,
    studyId: first.studyId,
    studyDate: first.studyDate,
    studyTime: first.studyTime,
    studyDescription: first.studyDescription,
    accessionNumber: first.accessionNumber,
    referringPhysicianName: first.referringPhysicianName,
    seriesNumber: first.seriesNumber,
    seriesDescription: first.seriesDescription,
    modality: first.modality,
    imageOrientationPatient: plan.imageOrientationPatient,
    pixelSpacing: plan.pixelSpacing,
    rows: plan.rows,
    columns: plan.columns,
    sliceThickness: first.sliceThickness,
  };
}
