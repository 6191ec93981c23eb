import { ArgumentError, DtypeError } from "../errors/bcp-error.ts";
import { FormatError } from "./format-error.ts";
import { NIFTI_DTYPES, type NiftiDtype, niftiDtypeOf, readVoxel } from "./nifti-dtype.ts";
import { type NiftiHeader, readNiftiHeader } from "./nifti-header.ts";
import { inflate } from "./zlib.ts";

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
  /** Refuse a gzip file inflating past this many bytes (default 2^30). */
  readonly maxBytes?: number;
}

/**
 * Decodes a single-file NIfTI-1 (.nii, or .nii.gz detected by its 1f 8b magic), either byte order,
 * with scl_slope/scl_inter applied. NIfTI stores x fastest; the result is row-major [X, Y, Z].
 */
export async function decodeNifti(bytes: Uint8Array, options: DecodeNiftiOptions = {}): Promise<DecodedNifti> {
  const fn = "decodeNifti";
  if (!(bytes instanceof Uint8Array)) throw new DtypeError(fn, "bytes", "must be a Uint8Array");
  const volume = options.volume ?? 0;
  if (!Number.isInteger(volume) || volume < 0) throw new ArgumentError(fn, "volume", "must be an integer >= 0");
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    bytes = await inflate(bytes, "gzip", fn, "gzip data", options.maxBytes ?? 2 ** 30);
  }
  if (bytes.length < 348) throw new FormatError(fn, `file is truncated: ${bytes.length} bytes, header needs 348`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getInt32(0, true) === 348;
  if (!le && view.getInt32(0, false) !== 348) {
    const two = view.getInt32(0, true) === 540 || view.getInt32(0, false) === 540;
    throw new FormatError(fn, two ? "NIfTI-2 is unsupported" : "not a NIfTI-1 file (sizeof_hdr is not 348)");
  }
  const magic = String.fromCharCode(bytes[344], bytes[345], bytes[346]);
  if (magic === "ni1") throw new FormatError(fn, "two-file NIfTI (.hdr/.img) is unsupported; use a single .nii");
  if (magic !== "n+1" || bytes[347] !== 0) throw new FormatError(fn, "bad magic at byte 344 (want n+1)");
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
  const [X, Y = 1, Z = 1] = shape;
  const nvox = X * Y * Z;
  const offset = Math.floor(header.voxOffset);
  if (!(offset >= 348)) throw new FormatError(fn, `vox_offset ${header.voxOffset} is before the end of the header`);
  const need = offset + nvox * volumes * size;
  if (need > bytes.length) {
    throw new FormatError(fn, `data is truncated: ${bytes.length} bytes, dims and vox_offset need ${need}`);
  }
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
