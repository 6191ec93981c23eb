import { type DicomSeries, dicomSeriesNiftiHeader, encodeNifti } from "@bcpseg/core";

/**
 * A series as gzipped NIfTI-1 for training: the [X, Y, Z] volume with the DICOM geometry as sform/qform (RAS),
 * stored as int16 when every value is an integer in its range (CT in HU, most MR), float32 otherwise.
 */
export function dicomToNifti(series: DicomSeries): Uint8Array {
  let integral = true;
  for (const v of series.data) {
    if (!Number.isInteger(v) || v < -32768 || v > 32767) {
      integral = false;
      break;
    }
  }
  return encodeNifti({
    data: series.data,
    shape: [...series.shape],
    dtype: integral ? "int16" : "float32",
    header: dicomSeriesNiftiHeader(series),
    gzip: true,
  });
}

/** A file-name-safe stem for a series: its SeriesInstanceUID (digits and dots). */
export function seriesStem(series: { readonly seriesInstanceUid: string }): string {
  return series.seriesInstanceUid.replace(/[^0-9A-Za-z.-]/g, "_") || "series";
}
