import type { DicomSegOptions } from "./dicom-seg-options.ts";
import { planDicomSeg } from "./plan-dicom-seg.ts";
import type { SegClass } from "./seg-classes.ts";
import type { SegSource } from "./seg-source.ts";

/**
 * Writes a binary DICOM Segmentation (Part 10, explicit VR little endian) of `labels` [S, rows, columns] on the
 * slices of `source`: {@link planDicomSeg} then encode; `options.maxBytes` refuses before packing.
 */
export function encodeDicomSeg(
  labels: Uint8Array,
  source: SegSource,
  classes: readonly SegClass[],
  options: DicomSegOptions = {},
): Uint8Array {
  return planDicomSeg(labels, source, classes, options).encode();
}

/** The largest SEG `source` and `classes` can give (every frame present): the bound to check before inference. */
export function dicomSegByteBound(
  source: SegSource,
  classes: readonly SegClass[],
  options: DicomSegOptions = {},
): number {
  return planDicomSeg(null, source, classes, { ...options, maxBytes: undefined }).byteLength;
}
