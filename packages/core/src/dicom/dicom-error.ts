import { BcpError } from "../errors/bcp-error.ts";
import type { ErrorKind } from "../errors/error-kind.ts";

/**
 * Stable codes of the DICOM reader's errors:
 * - ERR_DICOM_FORMAT: not a DICOM Part 10 file, truncated, a length that runs past its container, a missing delimiter;
 * - ERR_DICOM_LIMIT: over a configured bound (bytes, elements, sequence depth, voxels), refused before the work;
 * - ERR_DICOM_TRANSFER_SYNTAX: pixel data in a transfer syntax this reader does not decode (HTTP: 415);
 * - ERR_DICOM_UNSUPPORTED: a pixel format outside what it reads (colour, 1-bit, float pixel data);
 * - ERR_DICOM_SERIES: files that do not make one volume (mixed series, gaps, duplicates, inconsistent geometry).
 */
export type DicomErrorCode =
  | "ERR_DICOM_FORMAT"
  | "ERR_DICOM_LIMIT"
  | "ERR_DICOM_TRANSFER_SYNTAX"
  | "ERR_DICOM_UNSUPPORTED"
  | "ERR_DICOM_SERIES";

const KIND: Readonly<Record<DicomErrorCode, ErrorKind>> = {
  ERR_DICOM_FORMAT: "integrity",
  ERR_DICOM_LIMIT: "input",
  ERR_DICOM_TRANSFER_SYNTAX: "input",
  ERR_DICOM_UNSUPPORTED: "input",
  ERR_DICOM_SERIES: "input",
};

/** A DICOM file or series that cannot be read; `details.reason` is a stable sub-code (e.g. "missing-slices"). */
export class DicomError extends BcpError<DicomErrorCode> {
  constructor(code: DicomErrorCode, fn: string, message: string, details?: Record<string, unknown>) {
    super(code, `${fn}: ${message}`, { kind: KIND[code], fn, details });
    this.name = "DicomError";
  }
}
