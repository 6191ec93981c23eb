import { DtypeError } from "../errors/bcp-error.ts";
import { boundedInflate } from "./bounded-inflate.ts";
import { FormatError } from "./format-error.ts";
import { NIFTI_DTYPES, type NiftiDtype, readVoxel } from "./nifti-dtype.ts";
import type { NiftiHeader } from "./nifti-header.ts";
import { isGzip, niftiLayout } from "./nifti-info.ts";

/** A decoded NIfTI-1 volume: scaled values [X, Y, Z] (or [X, Y], [X]) row-major, z fastest. */
export interface DecodedNifti {
  readonly data: Float32Array;
  readonly shape: number[];
  /** Voxel size per axis of `shape` (pixdim[1..]). */
  readonly spacing: number[];
  /** Voxel type stored in the file. */
  readonly dtype: NiftiDtype;
  /** Number of volumes along dim 4 (one of them was decoded). */
  readonly volumes: number;
  readonly header: NiftiHeader;
}

/** Options of decodeNifti. */
export interface DecodeNiftiOptions {
  /** Which volume of a 4-D file to read (default 0). */
  readonly volume?: number;
  /** Refuse a file whose header declares more than this many bytes (default 2^30); gzip stops there. */
  readonly maxBytes?: number;
}

/**
 * Decodes a single-file NIfTI-1 (.nii, or .nii.gz detected by its 1f 8b magic), either byte order,
 * with scl_slope/scl_inter applied. NIfTI stores x fastest; the result is row-major [X, Y, Z].
 * The header is read first (readNiftiInfo: a gzip file inflates just its 348 header bytes), and the size
 * it declares is checked against `maxBytes` before anything else is inflated or allocated; a gzip stream
 * then stops at that size.
 */
export function decodeNifti(bytes: Uint8Array, options: DecodeNiftiOptions = {}): DecodedNifti {
  const fn = "decodeNifti";
  if (!(bytes instanceof Uint8Array)) throw new DtypeError(fn, "bytes", "must be a Uint8Array");
  const gzip = isGzip(bytes);
  const head = gzip ? boundedInflate(bytes, "gzip", { fn, what: "gzip data", maxBytes: 348, prefix: true }) : bytes;
  const { header, shape, dtype, volumes, fileBytes } = niftiLayout(head, gzip, options.volume ?? 0, fn);
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (fileBytes > maxBytes) {
    throw new FormatError(fn, `the header declares ${fileBytes} bytes of file, more than maxBytes ${maxBytes}`);
  }
  if (gzip) bytes = boundedInflate(bytes, "gzip", { fn, what: "gzip data", maxBytes: fileBytes, prefix: true });
  if (fileBytes > bytes.length) {
    throw new FormatError(fn, `data is truncated: ${bytes.length} bytes, dims and vox_offset need ${fileBytes}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = header.littleEndian;
  const size = NIFTI_DTYPES[dtype].bytes;
  const [X, Y = 1, Z = 1] = shape;
  const nvox = X * Y * Z;
  const offset = Math.floor(header.voxOffset);
  const volume = options.volume ?? 0;
  const slope = header.sclSlope;
  const scaled = Number.isFinite(slope) && slope !== 0;
  const inter = scaled && Number.isFinite(header.sclInter) ? header.sclInter : 0;
  const data = new Float32Array(nvox);
  let at = offset + volume * nvox * size;
  for (let z = 0; z < Z; z++) {
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++, at += size) {
        const v = readVoxel(view, at, dtype, le);
        data[(x * Y + y) * Z + z] = scaled ? v * slope + inter : v;
      }
    }
  }
  const spacing = header.pixdim.slice(1, shape.length + 1);
  return { data, shape, spacing, dtype, volumes, header };
}
