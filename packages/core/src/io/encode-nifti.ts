import { gzipSync } from "fflate";
import { ArgumentError } from "../errors/bcp-error.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray } from "../tensor/types.ts";
import { concatBytes } from "./concat-bytes.ts";
import { dtypeRange, NIFTI_DTYPES, type NiftiDtype, writeVoxel } from "./nifti-dtype.ts";
import { type NiftiHeader, writeNiftiHeader } from "./nifti-header.ts";

/** What encodeNifti writes: values [X, Y, Z] (or [X, Y], [X]) row-major, z fastest. */
export interface NiftiVolume {
  readonly data: NumArray;
  readonly shape: readonly number[];
  /** Voxel type to store (default from the array: Float32Array → float32, Uint8Array → uint8, ...). */
  readonly dtype?: NiftiDtype;
  /** A decoded header whose geometry (pixdim, qform, sform, units, description, intent) is kept. */
  readonly header?: NiftiHeader;
  /** Voxel size per axis; overrides the header's pixdim. */
  readonly spacing?: readonly number[];
  /** Write .nii.gz (default false). */
  readonly gzip?: boolean;
}

const BY_ARRAY: ReadonlyArray<[new (n: number) => NumArray, NiftiDtype]> = [
  [Uint8Array, "uint8"],
  [Int8Array, "int8"],
  [Int16Array, "int16"],
  [Uint16Array, "uint16"],
  [Int32Array, "int32"],
  [Uint32Array, "uint32"],
  [Float32Array, "float32"],
  [Float64Array, "float64"],
];

/** Encodes a volume as a little-endian single-file NIfTI-1 (.nii or .nii.gz), keeping a header's geometry. */
export function encodeNifti(volume: NiftiVolume): Uint8Array {
  const fn = "encodeNifti";
  const { data, shape, header } = volume;
  checkShape(fn, "shape", shape, [1, 2, 3]);
  if (shape.some((d) => d > 32767)) throw new ArgumentError(fn, "shape", "sizes must be at most 32767");
  checkData(fn, "data", data, shape);
  const dtype = volume.dtype ?? BY_ARRAY.find(([C]) => data instanceof C)?.[1] ?? "float32";
  if (!(dtype in NIFTI_DTYPES)) throw new ArgumentError(fn, "dtype", `${String(dtype)} is not supported`);
  const { code, bytes: size } = NIFTI_DTYPES[dtype];
  const [lo, hi] = dtypeRange(dtype);
  const integer = lo !== Number.NEGATIVE_INFINITY;
  const [X, Y = 1, Z = 1] = shape;
  const spacing = volume.spacing;
  if (spacing && (spacing.length !== shape.length || spacing.some((s) => !(s > 0 && Number.isFinite(s))))) {
    throw new ArgumentError(fn, "spacing", `must be ${shape.length} positive numbers`);
  }
  const pixdim = [...(header?.pixdim ?? [1, 1, 1, 1, 1, 1, 1, 1])];
  if (!header) pixdim[0] = 1;
  spacing?.forEach((s, k) => {
    pixdim[k + 1] = s;
  });
  for (let k = shape.length + 1; k < 8; k++) if (!(pixdim[k] > 0)) pixdim[k] = 1;
  const out: NiftiHeader = {
    ...(header ?? EMPTY),
    littleEndian: true,
    dim: [shape.length, X, shape.length > 1 ? Y : 1, shape.length > 2 ? Z : 1, 1, 1, 1, 1],
    datatype: code,
    bitpix: 8 * size,
    pixdim,
    voxOffset: 352,
    sclSlope: 1,
    sclInter: 0,
    calMax: 0,
    calMin: 0,
  };
  const body = new Uint8Array(X * Y * Z * size);
  const view = new DataView(body.buffer);
  let at = 0;
  for (let z = 0; z < Z; z++) {
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++, at += size) {
        const i = (x * Y + y) * Z + z;
        const v = data[i];
        if (integer && !(Number.isInteger(v) && v >= lo && v <= hi)) {
          throw new ArgumentError(fn, "data", `value ${v} at ${i} does not fit ${dtype}`);
        }
        writeVoxel(view, at, dtype, v);
      }
    }
  }
  const file = concatBytes([writeNiftiHeader(out), body]);
  // mtime 0: the same volume always gives the same bytes.
  return volume.gzip ? gzipSync(file, { level: 6, mtime: 0 }) : file;
}

const EMPTY: NiftiHeader = {
  littleEndian: true,
  dimInfo: 0,
  dim: [0, 0, 0, 0, 0, 0, 0, 0],
  intentP1: 0,
  intentP2: 0,
  intentP3: 0,
  intentCode: 0,
  datatype: 0,
  bitpix: 0,
  sliceStart: 0,
  pixdim: [1, 1, 1, 1, 1, 1, 1, 1],
  voxOffset: 352,
  sclSlope: 1,
  sclInter: 0,
  sliceEnd: 0,
  sliceCode: 0,
  xyztUnits: 2, // millimetres
  calMax: 0,
  calMin: 0,
  sliceDuration: 0,
  toffset: 0,
  descrip: "bcpseg",
  auxFile: "",
  qformCode: 0,
  sformCode: 0,
  quaternB: 0,
  quaternC: 0,
  quaternD: 0,
  qoffsetX: 0,
  qoffsetY: 0,
  qoffsetZ: 0,
  srowX: [1, 0, 0, 0],
  srowY: [0, 1, 0, 0],
  srowZ: [0, 0, 1, 0],
  intentName: "",
};
