import { ShapeError } from "../errors/bcp-error.ts";
import type { DicomSegOptions } from "./dicom-seg-options.ts";
import { planDicomSeg } from "./plan-dicom-seg.ts";
import type { SegClass } from "./seg-classes.ts";
import type { SegSource } from "./seg-source.ts";

/** A label volume as core's inference returns it (`segmentImage`'s Segmentation fits). */
export interface LabelVolume {
  readonly labels: Uint8Array;
  readonly shape: readonly number[];
}

/** Options of {@link segToDicom}: the SEG's, and how the labels are laid out. */
export interface SegToDicomOptions extends DicomSegOptions {
  /**
   * "slices" (default): [S, rows, columns] or [rows, columns] for one slice, slice s on source.slices[s];
   * "xyz": NIfTI order [columns, rows, S] with the slice index fastest (segmentImage with slicesLast).
   */
  readonly layout?: "slices" | "xyz";
  /** The model's name, written as ManufacturerModelName (e.g. the model contract's name). */
  readonly modelName?: string;
}

/** What {@link segToDicom} wrote. */
export interface DicomSegResult {
  readonly bytes: Uint8Array;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly frames: number;
}

/**
 * The DICOM SEG of an inference result on a DICOM series — what the edge API's `format=dicom-seg` and the CLI
 * write: `classes` are the model contract's (index, name, colour), the labels in either layout; the bound to
 * check before inference is {@link dicomSegByteBound} of the same source and classes.
 */
export function segToDicom(
  volume: LabelVolume,
  source: SegSource,
  classes: readonly SegClass[],
  options: SegToDicomOptions = {},
): DicomSegResult {
  const fn = "segToDicom";
  const { layout = "slices", modelName, ...rest } = options;
  const S = Array.isArray(source?.slices) ? source.slices.length : 0;
  const { rows: R, columns: C } = source ?? {};
  const shape = [...(volume?.shape ?? [])];
  const want = layout === "xyz" ? [C, R, S] : shape.length === 2 ? [R, C] : [S, R, C];
  if (shape.length !== want.length || shape.some((d, k) => d !== want[k]) || (shape.length === 2 && S !== 1)) {
    throw new ShapeError(
      fn,
      "volume.shape",
      `is [${shape.join(", ")}], the source series wants [${want.join(", ")}] (${layout})`,
    );
  }
  let labels = volume.labels;
  if (layout === "xyz" && labels instanceof Uint8Array && labels.length === S * R * C) {
    const out = new Uint8Array(labels.length);
    for (let x = 0; x < C; x++) {
      for (let y = 0; y < R; y++) {
        const from = (x * R + y) * S;
        for (let z = 0; z < S; z++) out[(z * R + y) * C + x] = labels[from + z];
      }
    }
    labels = out;
  }
  const plan = planDicomSeg(labels, source, classes, {
    ...(modelName ? { manufacturerModelName: modelName.replace(/[\\\p{Cc}]/gu, " ").slice(0, 64) } : {}),
    ...rest,
  });
  return {
    bytes: plan.encode(),
    sopInstanceUid: plan.sopInstanceUid,
    seriesInstanceUid: plan.seriesInstanceUid,
    frames: plan.frameCount,
  };
}
