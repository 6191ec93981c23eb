import { z } from "zod";
import { zodIssues } from "../errors/zod-issues.ts";
import { segSourceError } from "./dicom-seg-error.ts";

// PS3.5 6.2: UI digits and dots (leading zeros kept as the source wrote them: references must match), text VRs
// without backslash or control characters, within their maximum lengths.
const uid = z
  .string()
  .max(64, "a UID has at most 64 characters")
  .regex(/^[0-9]+(\.[0-9]+)*$/, "a UID is digits and dots");
const text = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for control characters
    .regex(/^[^\\\u0000-\u001f\u007f]*$/, "no backslash or control characters");
// PN: up to three component groups (alphabetic=ideographic=phonetic) of at most 64 characters each.
const personName = text(194).refine((v) => v.split("=").length <= 3 && v.split("=").every((g) => g.length <= 64), {
  message: "a PN has at most 3 component groups of 64 characters",
});
const finite = z.number().finite();
const positive = finite.positive();

/** One source image (a frame of the series): its SOP class and instance, and where it lies. */
export const SegSourceSliceSchema = z.object({
  sopClassUid: uid,
  sopInstanceUid: uid,
  /** 1-based frame of a multi-frame source instance (ReferencedFrameNumber); absent for single-frame images. */
  frameNumber: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .optional(),
  imagePositionPatient: z.array(finite).length(3, "must be 3 numbers (x, y, z in mm)"),
});

/**
 * The source series a SEG refers to: the identifiers it copies (patient, study, frame of reference), the image
 * geometry, and its slices in the order of the label volume. Extra fields (a reader's DicomSeries) are ignored.
 */
export const SegSourceSchema = z.object({
  studyInstanceUid: uid,
  seriesInstanceUid: uid,
  frameOfReferenceUid: uid,
  patientId: text(64).optional(),
  patientName: personName.optional(),
  patientBirthDate: z
    .string()
    .regex(/^(\d{8})?$/, "DA is YYYYMMDD")
    .optional(),
  patientSex: z.enum(["M", "F", "O", ""]).optional(),
  studyId: text(16).optional(),
  studyDate: z
    .string()
    .regex(/^(\d{8})?$/, "DA is YYYYMMDD")
    .optional(),
  studyTime: z
    .string()
    .regex(/^(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?$/, "TM is HHMMSS.FFFFFF")
    .optional(),
  accessionNumber: text(16).optional(),
  referringPhysicianName: personName.optional(),
  modality: z.string().regex(/^[A-Z0-9 _]{1,16}$/, "CS is 1 to 16 of A-Z, 0-9, space, _"),
  rows: z.number().int().min(1).max(65535),
  columns: z.number().int().min(1).max(65535),
  /** Row spacing, column spacing (mm), as PixelSpacing. */
  pixelSpacing: z.array(positive).length(2, "must be 2 numbers (row, column spacing in mm)"),
  sliceThickness: positive.optional(),
  imageOrientationPatient: z.array(finite).length(6, "must be 6 numbers (row and column direction cosines)"),
  slices: z.array(SegSourceSliceSchema).min(1, "needs at least one slice"),
});

/** One source image (a slice of the series, or a frame of a multi-frame instance). */
export interface SegSourceSlice {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** 1-based frame of a multi-frame source instance (ReferencedFrameNumber); absent for single-frame images. */
  readonly frameNumber?: number;
  /** ImagePositionPatient: x, y, z (mm) of the first pixel's centre. */
  readonly imagePositionPatient: readonly number[];
}

/**
 * What the SEG writer needs of the source series — a DICOM reader's series description passes as it is (extra
 * fields ignored). Slices in the order of the label volume; strings as DICOM holds them (DA YYYYMMDD, TM
 * HHMMSS.FFFFFF, PN with ^ and =).
 */
export interface SegSource {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly patientId?: string;
  readonly patientName?: string;
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  readonly studyId?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly accessionNumber?: string;
  readonly referringPhysicianName?: string;
  readonly modality: string;
  readonly rows: number;
  readonly columns: number;
  /** PixelSpacing: row spacing, column spacing (mm). */
  readonly pixelSpacing: readonly number[];
  readonly sliceThickness?: number;
  /** ImageOrientationPatient: row direction cosines, then column direction cosines. */
  readonly imageOrientationPatient: readonly number[];
  readonly slices: readonly SegSourceSlice[];
}

/** The checked source with derived geometry: unit row/column direction, the slice normal, each slice's rank along it. */
export interface CheckedSegSource extends z.output<typeof SegSourceSchema> {
  /** 1-based position of each slice (in source order) along the normal: DimensionIndexValues of the position. */
  readonly positionIndex: readonly number[];
  /** Distance between neighbouring slices along the normal (mm), undefined for one slice. */
  readonly sliceSpacing: number | undefined;
}

/**
 * Validates a source description (ERR_SEG_SOURCE with dot-path issues) and derives its geometry: the row and
 * column directions unit length and orthogonal within 1e-2, and every slice at its own position along the
 * normal (two frames at one position could not be told apart by the SEG's position dimension).
 */
export function checkSegSource(fn: string, source: unknown): CheckedSegSource {
  const r = SegSourceSchema.safeParse(source);
  if (!r.success) throw segSourceError(fn, zodIssues(r.error));
  const s = r.data;
  const [rx, ry, rz, cx, cy, cz] = s.imageOrientationPatient;
  const nr = Math.hypot(rx, ry, rz);
  const nc = Math.hypot(cx, cy, cz);
  const dot = rx * cx + ry * cy + rz * cz;
  if (Math.abs(nr - 1) > 1e-2 || Math.abs(nc - 1) > 1e-2 || Math.abs(dot) > 1e-2) {
    throw segSourceError(fn, [
      { path: "imageOrientationPatient", message: "row and column directions must be orthogonal unit vectors" },
    ]);
  }
  const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const along = s.slices.map((sl) => sl.imagePositionPatient.reduce((d, p, k) => d + p * normal[k], 0));
  const order = along.map((_, i) => i).sort((a, b) => along[a] - along[b]);
  const positionIndex = new Array<number>(along.length);
  order.forEach((i, rank) => {
    positionIndex[i] = rank + 1;
  });
  const minStep = Math.min(s.pixelSpacing[0], s.pixelSpacing[1]) * 1e-3;
  let spacing: number | undefined;
  for (let k = 1; k < order.length; k++) {
    const step = along[order[k]] - along[order[k - 1]];
    if (step < minStep) {
      throw segSourceError(fn, [
        {
          path: `slices[${order[k]}].imagePositionPatient`,
          message: `lies at the position of slices[${order[k - 1]}] along the slice normal`,
        },
      ]);
    }
    spacing = spacing === undefined ? step : Math.min(spacing, step);
  }
  // Pixel Measures need SliceThickness (type 1C, present with a frame of reference); one slice has no spacing to
  // stand in for it.
  if (s.sliceThickness === undefined && spacing === undefined) {
    throw segSourceError(fn, [{ path: "sliceThickness", message: "is needed for a series of one slice" }]);
  }
  return { ...s, positionIndex, sliceSpacing: spacing };
}
