import { decodeNifti, decodePng, pngToGray } from "@bcpseg/core";
import { HttpError } from "../http/http-error.ts";
import { RawJsonBodySchema } from "../schemas.ts";
import { fromBase64 } from "./base64.ts";
import type { InputImage } from "./input-image.ts";
import { zodDetails } from "./zod-details.ts";

/** The content types POST /v1/segment accepts. */
export const INPUT_TYPES = [
  "image/png",
  "application/json",
  "application/octet-stream",
  "application/x-nifti",
  "application/nifti",
  "application/gzip",
  "application/x-gzip",
] as const;

const NIFTI_TYPES = new Set(["application/x-nifti", "application/nifti", "application/gzip", "application/x-gzip"]);

/** Decodes a request body by its content type (NIfTI also by its bytes); every defect is a 4xx HttpError. */
export async function readInput(
  bytes: Uint8Array,
  contentType: string | undefined,
  headers: { shape?: string; dtype?: string; spacing?: string },
  maxVoxels: number,
): Promise<InputImage> {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (bytes.length === 0) throw new HttpError(400, "ERR_EMPTY_BODY", "the request body is empty");
  if (type === "image/png") return readPng(bytes, maxVoxels);
  if (type === "application/json") return readJson(bytes, maxVoxels);
  if (NIFTI_TYPES.has(type) || (type === "application/octet-stream" && headers.shape === undefined)) {
    return readNifti(bytes, maxVoxels);
  }
  if (type === "application/octet-stream") {
    return readRaw(bytes, headers.shape ?? "", headers.dtype ?? "float32", headers.spacing, maxVoxels);
  }
  throw new HttpError(415, "ERR_CONTENT_TYPE", `content type "${type || "(none)"}" is not accepted`, {
    details: { accepted: INPUT_TYPES },
  });
}

async function readPng(bytes: Uint8Array, maxVoxels: number): Promise<InputImage> {
  // IHDR sits at a fixed place: refuse a huge image before inflating anything.
  if (bytes.length >= 24) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    checkVoxels([v.getUint32(16), v.getUint32(20)], maxVoxels);
  }
  const png = await decodePng(bytes, { maxPixels: maxVoxels });
  return { kind: "png", data: pngToGray(png), shape: [png.height, png.width], spacing: [1, 1], unit: "voxel" };
}

async function readNifti(bytes: Uint8Array, maxVoxels: number): Promise<InputImage> {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const nii = await decodeNifti(bytes, { maxBytes: maxVoxels * 8 + 352 + 65536 });
  checkVoxels(nii.shape, maxVoxels);
  checkFinite(nii.data);
  const mm = (nii.header.xyztUnits & 7) === 2;
  const spacing = nii.spacing.map((s) => (s > 0 && Number.isFinite(s) ? s : 1));
  return {
    kind: "nifti",
    data: nii.data,
    shape: nii.shape,
    spacing,
    unit: mm ? "mm" : "voxel",
    nifti: { header: nii.header, gzip },
  };
}

function readJson(bytes: Uint8Array, maxVoxels: number): InputImage {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError(400, "ERR_JSON", "the body is not valid UTF-8 JSON");
  }
  const r = RawJsonBodySchema.safeParse(doc);
  if (!r.success)
    throw new HttpError(400, "ERR_VALIDATION", "the JSON body does not match the schema", {
      details: zodDetails(r.error),
    });
  checkVoxels(r.data.shape, maxVoxels);
  return rawImage(fromBase64(r.data.data), r.data.shape, r.data.spacing);
}

function readRaw(
  bytes: Uint8Array,
  shapeText: string,
  dtype: string,
  spacingText: string | undefined,
  maxVoxels: number,
): InputImage {
  if (dtype.trim().toLowerCase() !== "float32") {
    throw new HttpError(400, "ERR_DTYPE", `X-Dtype "${dtype}" is not supported; send float32`);
  }
  const shape = parseList(shapeText, "X-Shape", true);
  if (shape.length < 2 || shape.length > 3) throw new HttpError(400, "ERR_SHAPE", "X-Shape must have 2 or 3 sizes");
  checkVoxels(shape, maxVoxels);
  const spacing = spacingText === undefined ? undefined : parseList(spacingText, "X-Spacing", false);
  return rawImage(bytes, shape, spacing);
}

function rawImage(bytes: Uint8Array, shape: number[], spacing: number[] | undefined): InputImage {
  const n = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== n * 4) {
    throw new HttpError(
      422,
      "ERR_SHAPE",
      `shape [${shape.join(", ")}] needs ${n * 4} bytes of float32, got ${bytes.length}`,
    );
  }
  if (spacing && spacing.length !== shape.length) {
    throw new HttpError(400, "ERR_SHAPE", `spacing has ${spacing.length} entries, shape ${shape.length}`);
  }
  const data = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true);
  checkFinite(data);
  return { kind: "raw", data, shape, spacing: spacing ?? shape.map(() => 1), unit: "voxel" };
}

function parseList(text: string, name: string, integer: boolean): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const values = parts.map(Number);
  const ok =
    parts.length > 0 &&
    parts.every((p) => p !== "") &&
    values.every((v) => v > 0 && (integer ? Number.isInteger(v) : Number.isFinite(v)));
  if (!ok)
    throw new HttpError(
      400,
      "ERR_SHAPE",
      `${name} must be comma-separated ${integer ? "positive integers" : "positive numbers"}`,
    );
  return values;
}

function checkVoxels(shape: readonly number[], maxVoxels: number): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > maxVoxels) {
    throw new HttpError(413, "ERR_TOO_MANY_VOXELS", `image of ${n} voxels exceeds the limit of ${maxVoxels}`, {
      details: { maxVoxels },
    });
  }
}

function checkFinite(data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new HttpError(422, "ERR_NOT_FINITE", `value ${data[i]} at index ${i} is not finite`, {
        details: { index: i },
      });
    }
  }
}
