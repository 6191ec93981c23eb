import type { DicomSeries, NiftiHeader } from "@bcpseg/core";

/** A request body decoded to one float32 array, before any model preprocessing. */
export interface InputImage {
  readonly kind: "png" | "raw" | "nifti" | "dicom";
  /** Values laid out `shape`: [H, W] (PNG), as sent (raw), [X, Y, Z] (NIfTI, DICOM: X the column, Y the row, Z the slice). */
  readonly data: Float32Array;
  readonly shape: number[];
  /** Voxel size per axis of `shape` (1 where unknown). */
  readonly spacing: number[];
  /** Unit of the spacing ("mm" for NIfTI in mm, "voxel" otherwise). */
  readonly unit: string;
  /** NIfTI only: the header whose geometry a label volume answer keeps, and whether it came gzipped. */
  readonly nifti?: { readonly header: NiftiHeader; readonly gzip: boolean };
  /** DICOM only: the series (geometry, and the references a DICOM SEG answer carries). */
  readonly dicom?: DicomSeries;
}
