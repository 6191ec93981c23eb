import {
  dicomSeriesNiftiHeader,
  encodeNifti,
  encodePng,
  type ModelContract,
  readStackSlice,
  type Segmentation,
  segToDicom,
} from "@bcpseg/core";
import { HttpError } from "../http/http-error.ts";
import { toBase64 } from "./base64.ts";
import type { InputImage } from "./input-image.ts";
import { overlayPng } from "./overlay-png.ts";
import type { ResponseFormat } from "./response-format.ts";
import { summarize } from "./summarize.ts";

/** The options of the query that shape the answer's body. */
export interface AnswerOptions {
  readonly format: ResponseFormat;
  readonly rle: boolean;
  readonly slice?: number;
  /** A DICOM SEG over this many bytes is refused before it is packed (the route's costed bound). */
  readonly maxBytes?: number;
}

/** An encoded answer: the body and its content type. */
export interface EncodedAnswer {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * Encodes a segmentation as the asked-for format: a label PNG, an overlay PNG, a NIfTI label volume (the input's
 * header geometry, or the DICOM series'), a DICOM SEG (DICOM input: core's segToDicom, referencing the series) or
 * the JSON summary. `totalMs` is the request's time so far (the JSON answer's `timing`).
 */
export async function encodeAnswer(
  image: InputImage,
  seg: Segmentation,
  model: { readonly id: string; readonly sha256?: string | null; readonly contract: ModelContract },
  options: AnswerOptions,
  totalMs: () => number,
): Promise<EncodedAnswer> {
  const { contract } = model;
  // Labels come back in the layout the image was sent in.
  const labels = seg.labels;
  const shape = image.shape;
  const { format } = options;
  if (format === "overlay") {
    const view = overlaySlice(image, labels, contract.task, options.slice);
    return { body: await overlayPng(view.gray, view.labels, view.h, view.w, contract), contentType: "image/png" };
  }
  if (format === "dicom-seg") {
    if (!image.dicom) throw new HttpError(406, "ERR_NOT_ACCEPTABLE", "a DICOM SEG answer needs DICOM input");
    const seg = segToDicom({ labels, shape }, image.dicom, contract.classes, {
      layout: "xyz",
      modelName: contract.name,
      maxBytes: options.maxBytes,
    });
    return { body: seg.bytes, contentType: "application/dicom" };
  }
  if (format === "png" && image.kind === "dicom") {
    // One slice [X, Y, 1] as the image it came from: rows of columns.
    const [X, Y] = shape;
    const plane = new Uint8Array(X * Y);
    for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) plane[y * X + x] = labels[x * Y + y];
    const png = encodePng({ data: plane, width: X, height: Y, channels: 1, bitDepth: 8 }, { filter: 0, level: 1 });
    return { body: png, contentType: "image/png" };
  }
  if (format === "png") {
    const [h, w] = shape.slice(-2);
    const png = encodePng(
      { data: labels, width: w, height: h, channels: 1, bitDepth: 8 },
      // Label maps are runs: the inline deflate makes them small without a thread-pool round trip per request.
      { filter: 0, level: 1 },
    );
    return { body: png, contentType: "image/png" };
  }
  if (format === "nifti" || format === "nifti-gz") {
    const gzip = format === "nifti-gz";
    const nii = encodeNifti({
      data: labels,
      shape,
      dtype: "uint8",
      header: image.nifti?.header ?? (image.dicom ? dicomSeriesNiftiHeader(image.dicom) : undefined),
      spacing: image.nifti || image.dicom ? undefined : image.spacing,
      gzip,
    });
    return { body: nii, contentType: gzip ? "application/gzip" : "application/x-nifti" };
  }
  let probabilities: { dtype: "float32"; shape: number[]; data: string } | undefined;
  if (seg.probs) {
    const p = seg.probs;
    probabilities = {
      dtype: "float32",
      shape: [seg.classes, ...shape],
      data: toBase64(new Uint8Array(p.buffer, p.byteOffset, p.byteLength)),
    };
  }
  const classes = summarize(labels, shape, image.spacing, contract, { rle: options.rle });
  const body = {
    model: { id: model.id, sha256: model.sha256 ?? null },
    input: { kind: image.kind, shape, spacing: image.spacing },
    shape,
    spacing: image.spacing,
    unit: image.unit === "mm" ? "mm^3" : "voxel",
    classes,
    ...(probabilities ? { probabilities } : {}),
    timing: { totalMs: Math.round(totalMs() * 100) / 100, runs: seg.runs },
  };
  return { body: new TextEncoder().encode(JSON.stringify(body)), contentType: "application/json" };
}

/** A NIfTI image as [X, Y, Z] (a 2-D one [X, Y] is one slice, [X, Y, 1]; same data). */
export function xyz(shape: readonly number[]): number[] {
  return shape.length === 2 ? [...shape, 1] : [...shape];
}

/**
 * One viewable slice [H, W] of the image and its labels: a 2D model's slice as segmented; a volume [X, Y, Z]
 * (NIfTI to a 2D model, or any 3D model) along Z, the [Y, X] image — read in place, nothing transposed.
 * `slice` defaults to the middle one; past the end is ERR_VALIDATION.
 */
function overlaySlice(image: InputImage, labels: Uint8Array, task: "2d" | "3d", slice: number | undefined) {
  const last = task === "3d" || image.kind === "nifti" || image.kind === "dicom";
  const s = last ? xyz(image.shape) : image.shape;
  const [slices, h, w] = last ? [s[2], s[1], s[0]] : s.length === 2 ? [1, s[0], s[1]] : s;
  const k = slice ?? Math.floor(slices / 2);
  if (k >= slices) throw new HttpError(400, "ERR_VALIDATION", `slice ${k} is out of ${slices} slices`);
  const shape = last ? s : [slices, h, w];
  const gray = new Float32Array(h * w);
  const lab = new Uint8Array(h * w);
  readStackSlice(image.data, shape, last, k, gray);
  readStackSlice(labels, shape, last, k, lab);
  return { gray, labels: lab, h, w };
}
