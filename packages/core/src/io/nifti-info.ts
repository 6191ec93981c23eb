import { ArgumentError, DtypeError } from "../errors/bcp-error.ts";
import { boundedInflate } from "./bounded-inflate.ts";
import { FormatError } from "./format-error.ts";
import { NIFTI_DTYPES, type NiftiDtype, niftiDtypeOf } from "./nifti-dtype.ts";
import { type NiftiHeader, readNiftiHeader } from "./nifti-header.ts";

/** What a NIfTI-1 header declares: enough to size the decoding before any of it happens. */
export interface NiftiInfo {
  readonly header: NiftiHeader;
  /** The decoded volume's shape [X, Y, Z] (or [X, Y], [X]). */
  readonly shape: number[];
  readonly dtype: NiftiDtype;
  readonly volumes: number;
  /** Whether the bytes were gzip (1f 8b). */
  readonly gzip: boolean;
  /** Bytes of the (inflated) file that decoding reads: vox_offset + every volume's voxels. */
  readonly fileBytes: number;
}

/** Options of readNiftiInfo (and decodeNifti). */
export interface NiftiInfoOptions {
  /** Which volume of a 4-D file will be read (default 0). */
  readonly volume?: number;
}

const HEADER_BYTES = 348;

/**
 * Reads and checks a single-file NIfTI-1 header. A gzip file has only its first 348 bytes inflated, so a
 * hostile stream costs nothing past them; the sizes it declares are checked (rank, dims, dtype, bitpix,
 * vox_offset) and give `fileBytes`, the exact size decoding needs. Throws FormatError on any defect.
 */
export function readNiftiInfo(bytes: Uint8Array, options: NiftiInfoOptions = {}): NiftiInfo {
  const fn = "readNiftiInfo";
  if (!(bytes instanceof Uint8Array)) throw new DtypeError(fn, "bytes", "must be a Uint8Array");
  const gzip = isGzip(bytes);
  const head = gzip
    ? boundedInflate(bytes, "gzip", { fn, what: "gzip data", maxBytes: HEADER_BYTES, prefix: true })
    : bytes;
  return niftiLayout(head, gzip, options.volume ?? 0, fn);
}

/** Whether `bytes` start with the gzip magic 1f 8b. */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Checks the header at the start of `head` (at least 348 bytes of the inflated file) and sizes the file. */
export function niftiLayout(head: Uint8Array, gzip: boolean, volume: number, fn: string): NiftiInfo {
  if (!Number.isInteger(volume) || volume < 0) throw new ArgumentError(fn, "volume", "must be an integer >= 0");
  if (head.length < HEADER_BYTES) {
    throw new FormatError(fn, `file is truncated: ${head.length} bytes, header needs ${HEADER_BYTES}`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const le = view.getInt32(0, true) === HEADER_BYTES;
  if (!le && view.getInt32(0, false) !== HEADER_BYTES) {
    const two = view.getInt32(0, true) === 540 || view.getInt32(0, false) === 540;
    throw new FormatError(fn, two ? "NIfTI-2 is unsupported" : "not a NIfTI-1 file (sizeof_hdr is not 348)");
  }
  const magic = String.fromCharCode(head[344], head[345], head[346]);
  if (magic === "ni1") throw new FormatError(fn, "two-file NIfTI (.hdr/.img) is unsupported; use a single .nii");
  if (magic !== "n+1" || head[347] !== 0) throw new FormatError(fn, "bad magic at byte 344 (want n+1)");
  const header = readNiftiHeader(view, le);
  const rank = header.dim[0];
  if (rank < 1 || rank > 7) throw new FormatError(fn, `dim[0] = ${rank} is not a rank in 1..7`);
  const dims = header.dim.slice(1, rank + 1);
  if (dims.some((d) => d < 1)) throw new FormatError(fn, `dim [${dims.join(", ")}] has a size < 1`);
  if (dims.slice(4).some((d) => d !== 1)) throw new FormatError(fn, "dims 5..7 above 1 are unsupported");
  const volumes = rank >= 4 ? dims[3] : 1;
  if (volume >= volumes) throw new ArgumentError(fn, "volume", `${volume} is out of ${volumes} volumes`);
  const dtype = niftiDtypeOf(header.datatype);
  if (!dtype) throw new FormatError(fn, `datatype code ${header.datatype} is unsupported`);
  const size = NIFTI_DTYPES[dtype].bytes;
  if (header.bitpix !== 8 * size) throw new FormatError(fn, `bitpix ${header.bitpix} does not match ${dtype}`);
  const shape = dims.slice(0, Math.min(rank, 3));
  const offset = Math.floor(header.voxOffset);
  if (!(offset >= HEADER_BYTES)) {
    throw new FormatError(fn, `vox_offset ${header.voxOffset} is before the end of the header`);
  }
  const nvox = shape.reduce((a, b) => a * b, 1);
  return { header, shape, dtype, volumes, gzip, fileBytes: offset + nvox * volumes * size };
}
