import type { DicomSeriesAttributes } from "./dicom-instance.ts";

/** Where one slice of a {@link DicomSeries} came from: what a DICOM SEG references per frame. */
export interface DicomSliceRef {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** 1-based frame of a multi-frame source (ReferencedFrameNumber); undefined for a single-frame file. */
  readonly frameNumber?: number;
  /** ImagePositionPatient of the slice's first pixel, mm, LPS. */
  readonly imagePositionPatient: readonly [number, number, number];
}

/**
 * A DICOM series as a volume, in the NIfTI reader's axis order: `data` float32 [X, Y, Z] row-major, z fastest
 * (index (x * Y + y) * Z + z), where x is the column, y the row and z the slice sorted along the slice normal, so
 * slice z read as [Y, X] is the DICOM image (Rows x Columns) and segmentImage(..., { slicesLast: true }) runs on it
 * as on a NIfTI volume. Values are modality values (rescale slope/intercept applied: Hounsfield units for CT).
 * Geometry is in patient coordinates (LPS, mm): world = origin + direction · (x · spacing[0], y · spacing[1],
 * z · spacing[2]).
 */
export interface DicomSeries extends DicomSeriesAttributes {
  readonly data: Float32Array;
  /** [Columns, Rows, slices]. */
  readonly shape: readonly [number, number, number];
  /** [column spacing (PixelSpacing[1]), row spacing (PixelSpacing[0]), slice spacing], mm. */
  readonly spacing: readonly [number, number, number];
  /** ImagePositionPatient of slice 0, LPS mm. */
  readonly origin: readonly [number, number, number];
  /** 3 x 3 row-major; its columns are the x (row direction), y (column direction) and z (slice normal) axes, LPS. */
  readonly direction: readonly number[];
  /** "patient": from ImagePositionPatient/ImageOrientationPatient; "default": a lone image without them (identity). */
  readonly geometry: "patient" | "default";
  /** Per slice, in z order. */
  readonly slices: readonly DicomSliceRef[];
  /** Row direction cosines, then column direction cosines. */
  readonly imageOrientationPatient: readonly number[];
  /** (row spacing, column spacing) mm, as in the files. */
  readonly pixelSpacing: readonly [number, number];
  readonly rows: number;
  readonly columns: number;
  /** SliceThickness of the first slice's file, mm, when given. */
  readonly sliceThickness?: number;
}
