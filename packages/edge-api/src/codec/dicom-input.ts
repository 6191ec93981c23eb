import {
  assembleDicomSeries,
  checkDicomPixels,
  DicomError,
  type DicomInstance,
  dicomSeriesHeader,
  planDicomSeries,
  readDicom,
  type SegSource,
} from "@bcpseg/core";
import { HttpError } from "../http/http-error.ts";
import type { InputImage } from "./input-image.ts";
import { MULTIPART_LIMITS, mediaTypeParameter, parseMultipart } from "./multipart.ts";

/** Bounds a DICOM body is read under: the app's limits (voxels before any frame is looked at; bytes of inflation). */
export interface DicomInputLimits {
  readonly voxels: number;
  readonly decodedBytes: number;
  /** Most slices (frames, over all files) the model's work limit allows (request-cost's maxSlices). */
  readonly slices?: number;
}

/** A DICOM series read as far as its headers: the plan of its volume, the source a SEG refers to, the cost. */
export interface DicomProbe {
  /** [X = columns, Y = rows, Z = slices], NIfTI order. */
  readonly shape: readonly number[];
  readonly decodedBytes: number;
  /** The series as a DICOM SEG references it (slices in volume order), built from the headers alone. */
  readonly source: SegSource;
  decode(): Promise<InputImage>;
}

/**
 * The DICOM files of a request body: one Part 10 file (application/dicom), or the parts of a
 * multipart/related (STOW-RS, type application/dicom) or multipart/form-data body, each one file.
 */
export function dicomFiles(bytes: Uint8Array, contentType: string): Uint8Array[] {
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "application/dicom") return [bytes];
  if (type === "multipart/related") {
    const inner = mediaTypeParameter(contentType, "type");
    if (inner !== undefined && inner.toLowerCase() !== "application/dicom") {
      throw new HttpError(
        415,
        "ERR_CONTENT_TYPE",
        `multipart/related of type "${inner}": send type="application/dicom"`,
      );
    }
  }
  const parts = parseMultipart(bytes, contentType, { maxParts: MULTIPART_LIMITS.maxParts });
  if (parts.length === 0) throw new HttpError(400, "ERR_MULTIPART", "the multipart body has no parts");
  const files: Uint8Array[] = [];
  for (const [k, part] of parts.entries()) {
    const partType = (part.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type === "multipart/related" && partType !== "" && partType !== "application/dicom") {
      throw new HttpError(415, "ERR_CONTENT_TYPE", `part ${k} is "${partType}", not application/dicom`, {
        details: { part: k },
      });
    }
    // A form field that is not a file (no filename, not DICOM typed) is left out, as a browser form may send one.
    const disposition = part.headers["content-disposition"] ?? "";
    if (type === "multipart/form-data" && !/filename\*?=/i.test(disposition) && partType !== "application/dicom")
      continue;
    files.push(part.body);
  }
  if (files.length === 0) throw new HttpError(400, "ERR_MULTIPART", "the multipart body has no DICOM file parts");
  return files;
}

/**
 * Reads the headers of every file (core's readDicom: structure walked and bounded, pixels left in the bytes),
 * checks each one's pixels can be decoded (transfer syntax, format, length) and plans the series (one
 * SeriesInstanceUID, one regular volume) — no pixel decoded. Core's DicomErrors become HTTP errors
 * ({@link dicomHttpError}).
 */
export function probeDicom(files: readonly Uint8Array[], limits: DicomInputLimits): DicomProbe {
  return withHttpErrors(() => {
    const maxSlices = limits.slices ?? limits.voxels;
    let frames = 0;
    let inflated = 0;
    const instances: DicomInstance[] = files.map((bytes, k) => {
      // The frames and inflated bytes of all files share one budget (a deflated file may always inflate to its
      // own size, so the total stays within decodedBytes + the body).
      const maxFrames = maxSlices - frames;
      const maxBytes = Math.max(bytes.length, limits.decodedBytes - inflated);
      const i = withPart(k, files.length, () => readDicom(bytes, { maxVoxels: limits.voxels, maxBytes, maxFrames }));
      frames += i.frames;
      if (i.transferSyntax.deflated) inflated += i.bytes.length;
      return i;
    });
    instances.forEach((i, k) => {
      withPart(k, files.length, () => checkDicomPixels(i, { maxVoxels: limits.voxels }));
    });
    const plan = planDicomSeries(instances);
    const n = plan.columns * plan.rows * plan.slices.length;
    // Inflated data sets (already held once read), the decoded frames (at most the volume's) and the volume.
    return {
      shape: [plan.columns, plan.rows, plan.slices.length],
      decodedBytes: inflated + 8 * n,
      // The series without its voxels is the SEG source (slices in volume order, as assembleDicomSeries lays them).
      source: dicomSeriesHeader(plan, instances[0]),
      decode: async () =>
        withHttpErrors(() => {
          const series = assembleDicomSeries(instances, { maxVoxels: Math.max(limits.voxels, n) });
          return {
            kind: "dicom",
            data: series.data,
            shape: [...series.shape],
            spacing: [...series.spacing],
            unit: series.geometry === "patient" ? "mm" : "voxel",
            dicom: series,
          };
        }),
    };
  });
}

function withPart<T>(k: number, n: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof DicomError && n > 1 ? dicomHttpError(e, k) : e;
  }
}

function withHttpErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof DicomError ? dicomHttpError(e) : e;
  }
}

/**
 * A DicomError as the HTTP answer: an unsupported transfer syntax 415 naming it, a file over the voxel limit 413
 * naming `limits.voxels` (before any frame is read), a file that does not parse 400, the rest 422 — each with the
 * DicomError's code and details.
 */
export function dicomHttpError(e: DicomError, part?: number): HttpError {
  const details: Record<string, unknown> = {
    ...(e.details as Record<string, unknown> | undefined),
    ...(part === undefined ? {} : { part }),
  };
  const message = part === undefined ? e.message : `file ${part}: ${e.message}`;
  if (e.code === "ERR_DICOM_TRANSFER_SYNTAX") return new HttpError(415, e.code, message, { details });
  if (e.code === "ERR_DICOM_LIMIT" && details.reason === "voxels") {
    return new HttpError(413, "ERR_TOO_MANY_VOXELS", `${message}, over limits.voxels`, {
      details: { ...details, limit: "voxels", max: details.limit, dicomCode: e.code },
    });
  }
  if (e.code === "ERR_DICOM_LIMIT" && details.reason === "frames") {
    return new HttpError(
      413,
      "ERR_TOO_MUCH_WORK",
      `${message}: the series would have more slices than limits.modelVoxels lets the model run on`,
      { details: { ...details, limit: "modelVoxels", maxSlices: details.limit, dicomCode: e.code } },
    );
  }
  if (e.code === "ERR_DICOM_LIMIT" && details.reason === "bytes") {
    return new HttpError(413, "ERR_DECODED_TOO_LARGE", `${message}, over limits.decodedBytes`, {
      details: { ...details, limit: "decodedBytes", max: details.limit, dicomCode: e.code },
    });
  }
  if (e.code === "ERR_DICOM_LIMIT") return new HttpError(413, e.code, message, { details });
  return new HttpError(e.code === "ERR_DICOM_FORMAT" ? 400 : 422, e.code, message, { details });
}
