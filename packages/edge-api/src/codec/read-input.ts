import { decodeNifti, decodePng, pngToGray, readNiftiInfo, readPngInfo, type SegSource, zodIssues } from "@bcpseg/core";
import { HttpError } from "../http/http-error.ts";
import { RawJsonBodySchema } from "../schemas.ts";
import { base64ByteLength, fromBase64 } from "./base64.ts";
import { type DicomInputLimits, dicomFiles, probeDicom } from "./dicom-input.ts";
import type { InputImage } from "./input-image.ts";
import { checkJsonBounds } from "./json-bounds.ts";
import { scanJsonMembers } from "./json-members.ts";

/** The content types POST /v1/segment accepts. */
export const INPUT_TYPES = [
  "image/png",
  "application/json",
  "application/octet-stream",
  "application/x-nifti",
  "application/nifti",
  "application/gzip",
  "application/x-gzip",
  "application/dicom",
  "multipart/related",
  "multipart/form-data",
] as const;

const DICOM_TYPES = new Set(["application/dicom", "multipart/related", "multipart/form-data"]);

const NIFTI_TYPES = new Set(["application/x-nifti", "application/nifti", "application/gzip", "application/x-gzip"]);

/**
 * A request body read as far as its size, not further: the kind, the shape it declares (PNG IHDR after the
 * signature and CRCs, NIfTI header, X-Shape, the JSON `shape`) and the bytes decoding will allocate. `decode`
 * does the work; call it only once the cost is accepted.
 */
export interface InputProbe {
  readonly kind: InputImage["kind"];
  /** [H, W] (PNG), as sent (raw, JSON), [X, Y, Z] (NIfTI, DICOM). */
  readonly shape: readonly number[];
  /** Bytes decoding allocates: inflated data (PNG stream and samples, gzip NIfTI, base64) + the float32 image. */
  readonly decodedBytes: number;
  /** DICOM only: the series a SEG answer refers to, from the headers (dicomSegByteBound sizes the SEG by it). */
  readonly segSource?: SegSource;
  decode(): Promise<InputImage>;
}

/** The limits a probe reads DICOM under (the app's; defaults as resolveLimits'). */
const DICOM_DEFAULTS: DicomInputLimits = { voxels: 2 ** 24, decodedBytes: 2 ** 28 };

/**
 * Sizes a request body by its content type (NIfTI also by its bytes; DICOM by its headers, read under `limits`);
 * every defect is a 4xx HttpError.
 */
export async function probeInput(
  bytes: Uint8Array,
  contentType: string | undefined,
  headers: { shape?: string; dtype?: string; spacing?: string },
  limits: DicomInputLimits = DICOM_DEFAULTS,
): Promise<InputProbe> {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (bytes.length === 0) throw new HttpError(400, "ERR_EMPTY_BODY", "the request body is empty");
  if (DICOM_TYPES.has(type)) {
    const p = probeDicom(dicomFiles(bytes, contentType ?? ""), limits);
    return { kind: "dicom", shape: p.shape, decodedBytes: p.decodedBytes, segSource: p.source, decode: p.decode };
  }
  if (type === "image/png") return probePng(bytes);
  if (type === "application/json") return probeJson(bytes);
  if (NIFTI_TYPES.has(type) || (type === "application/octet-stream" && headers.shape === undefined)) {
    return probeNifti(bytes);
  }
  if (type === "application/octet-stream") {
    return probeRaw(bytes, headers.shape ?? "", headers.dtype ?? "float32", headers.spacing);
  }
  throw new HttpError(415, "ERR_CONTENT_TYPE", `content type "${type || "(none)"}" is not accepted`, {
    details: { accepted: INPUT_TYPES },
  });
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function probePng(bytes: Uint8Array): InputProbe {
  // Signature, chunk lengths and order, IHDR (and PLTE/tRNS) CRCs: checked before its size is believed (400
  // ERR_FORMAT otherwise). The data chunks' CRCs, a pass over the whole body, are decodePng's, in the job.
  const info = readPngInfo(bytes, { crc: "header" });
  const n = info.width * info.height;
  const sampleBytes = info.bitDepth === 16 ? 2 : 1;
  const outChannels = info.colorType === 3 ? 4 : info.channels;
  return {
    kind: "png",
    shape: [info.height, info.width],
    decodedBytes: info.streamBytes + n * outChannels * sampleBytes + 4 * n,
    async decode() {
      const png = decodePng(bytes, { maxPixels: n });
      return { kind: "png", data: pngToGray(png), shape: [png.height, png.width], spacing: [1, 1], unit: "voxel" };
    },
  };
}

async function probeNifti(bytes: Uint8Array): Promise<InputProbe> {
  // The header only: a gzip file inflates just its first 348 bytes here.
  const info = readNiftiInfo(bytes);
  const n = count(info.shape);
  return {
    kind: "nifti",
    shape: info.shape,
    decodedBytes: (info.gzip ? info.fileBytes : 0) + 4 * n,
    async decode() {
      const nii = decodeNifti(bytes, { maxBytes: info.fileBytes });
      checkFinite(nii.data);
      const mm = (nii.header.xyztUnits & 7) === 2;
      const spacing = nii.spacing.map((s) => (s > 0 && Number.isFinite(s) ? s : 1));
      return {
        kind: "nifti",
        data: nii.data,
        shape: nii.shape,
        spacing,
        unit: mm ? "mm" : "voxel",
        nifti: { header: nii.header, gzip: info.gzip },
      };
    },
  };
}

const JsonSizeSchema = RawJsonBodySchema.omit({ data: true });

/**
 * A JSON body: `shape`, `dtype` and `spacing` read and checked without parsing the (base64) `data` — on a
 * request's thread a 32 MiB body would take ~100 ms of JSON.parse and schema; the whole body is parsed and
 * checked when it is decoded, in the job. A body the member scan cannot read is parsed whole here, as before.
 */
function probeJson(bytes: Uint8Array): InputProbe {
  // Nesting and value count first, in one pass: no JSON.parse (here or in the job) builds a hostile structure.
  checkJsonBounds(bytes);
  const members = scanJsonMembers(bytes, "data");
  const big = members?.big;
  const sized = big ? JsonSizeSchema.safeParse(members.small) : undefined;
  if (!big || !sized?.success) return probeParsedJson(parseJsonBody(bytes));
  const { shape, spacing } = sized.data;
  const dataLength = big.end - big.start;
  const last = (k: number) => dataLength >= k && bytes[big.end - k] === 0x3d; // "="
  const byteLength = base64ByteLength(dataLength, last(1) ? (last(2) ? 2 : 1) : 0);
  checkSpacing(spacing, shape);
  return {
    kind: "raw",
    shape,
    decodedBytes: byteLength + 4 * count(shape),
    decode: async () => {
      const body = parseJsonBody(bytes);
      if (body.shape.join() !== shape.join()) throw new Error("read-input: the JSON body's shape read two ways");
      return probeParsedJson(body).decode();
    },
  };
}

/** The whole JSON body parsed and checked against the schema (400 ERR_JSON, ERR_VALIDATION). */
function parseJsonBody(bytes: Uint8Array) {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError(400, "ERR_JSON", "the body is not valid UTF-8 JSON");
  }
  const r = RawJsonBodySchema.safeParse(doc);
  if (!r.success)
    throw new HttpError(400, "ERR_VALIDATION", "the JSON body does not match the schema", {
      details: zodIssues(r.error),
    });
  return r.data;
}

function probeParsedJson({ data, shape, spacing }: ReturnType<typeof parseJsonBody>): InputProbe {
  const byteLength = base64ByteLength(data.length, data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0);
  checkSpacing(spacing, shape);
  return {
    kind: "raw",
    shape,
    decodedBytes: byteLength + 4 * count(shape),
    decode: async () => {
      checkLength(byteLength, shape);
      return rawImage(fromBase64(data), shape, spacing);
    },
  };
}

function probeRaw(bytes: Uint8Array, shapeText: string, dtype: string, spacingText: string | undefined): InputProbe {
  if (dtype.trim().toLowerCase() !== "float32") {
    throw new HttpError(400, "ERR_DTYPE", `X-Dtype "${dtype}" is not supported; send float32`);
  }
  const shape = parseList(shapeText, "X-Shape", true);
  if (shape.length < 2 || shape.length > 3) throw new HttpError(400, "ERR_SHAPE", "X-Shape must have 2 or 3 sizes");
  const spacing = spacingText === undefined ? undefined : parseList(spacingText, "X-Spacing", false);
  checkSpacing(spacing, shape);
  return {
    kind: "raw",
    shape,
    decodedBytes: 4 * count(shape),
    decode: async () => {
      checkLength(bytes.length, shape);
      return rawImage(bytes, shape, spacing);
    },
  };
}

function checkLength(byteLength: number, shape: readonly number[]): void {
  const n = count(shape);
  if (byteLength !== n * 4) {
    throw new HttpError(
      422,
      "ERR_SHAPE",
      `shape [${shape.join(", ")}] needs ${n * 4} bytes of float32, got ${byteLength}`,
    );
  }
}

function checkSpacing(spacing: readonly number[] | undefined, shape: readonly number[]): void {
  if (spacing && spacing.length !== shape.length) {
    throw new HttpError(400, "ERR_SHAPE", `spacing has ${spacing.length} entries, shape ${shape.length}`);
  }
}

function rawImage(bytes: Uint8Array, shape: number[], spacing: number[] | undefined): InputImage {
  const n = count(shape);
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
    parts.length <= 8 &&
    parts.every((p) => p !== "") &&
    values.every((v) => v > 0 && (integer ? Number.isSafeInteger(v) : Number.isFinite(v)));
  if (!ok)
    throw new HttpError(
      400,
      "ERR_SHAPE",
      `${name} must be comma-separated ${integer ? "positive integers" : "positive numbers"}`,
    );
  return values;
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
