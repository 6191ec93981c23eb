/** Voxel types decodeNifti reads and encodeNifti writes. */
export type NiftiDtype = "uint8" | "int8" | "int16" | "uint16" | "int32" | "uint32" | "float32" | "float64";

/** NIfTI-1 datatype code and bytes per voxel of each supported dtype. */
export const NIFTI_DTYPES: Readonly<Record<NiftiDtype, { readonly code: number; readonly bytes: number }>> = {
  uint8: { code: 2, bytes: 1 },
  int16: { code: 4, bytes: 2 },
  int32: { code: 8, bytes: 4 },
  float32: { code: 16, bytes: 4 },
  float64: { code: 64, bytes: 8 },
  int8: { code: 256, bytes: 1 },
  uint16: { code: 512, bytes: 2 },
  uint32: { code: 768, bytes: 4 },
};

/** The dtype of a NIfTI datatype code, or undefined when unsupported (complex, RGB, 64-bit ints...). */
export function niftiDtypeOf(code: number): NiftiDtype | undefined {
  for (const [name, d] of Object.entries(NIFTI_DTYPES)) if (d.code === code) return name as NiftiDtype;
  return undefined;
}

/** Reads voxel `i` of `dtype` at byte `offset` of a DataView. */
export function readVoxel(view: DataView, offset: number, dtype: NiftiDtype, le: boolean): number {
  switch (dtype) {
    case "uint8":
      return view.getUint8(offset);
    case "int8":
      return view.getInt8(offset);
    case "int16":
      return view.getInt16(offset, le);
    case "uint16":
      return view.getUint16(offset, le);
    case "int32":
      return view.getInt32(offset, le);
    case "uint32":
      return view.getUint32(offset, le);
    case "float32":
      return view.getFloat32(offset, le);
    case "float64":
      return view.getFloat64(offset, le);
  }
}

/** Writes one voxel, little-endian. */
export function writeVoxel(view: DataView, offset: number, dtype: NiftiDtype, v: number): void {
  switch (dtype) {
    case "uint8":
      view.setUint8(offset, v);
      break;
    case "int8":
      view.setInt8(offset, v);
      break;
    case "int16":
      view.setInt16(offset, v, true);
      break;
    case "uint16":
      view.setUint16(offset, v, true);
      break;
    case "int32":
      view.setInt32(offset, v, true);
      break;
    case "uint32":
      view.setUint32(offset, v, true);
      break;
    case "float32":
      view.setFloat32(offset, v, true);
      break;
    case "float64":
      view.setFloat64(offset, v, true);
      break;
  }
}

/** Inclusive value range of an integer dtype; floats are unbounded. */
export function dtypeRange(dtype: NiftiDtype): readonly [number, number] {
  switch (dtype) {
    case "uint8":
      return [0, 255];
    case "int8":
      return [-128, 127];
    case "int16":
      return [-32768, 32767];
    case "uint16":
      return [0, 65535];
    case "int32":
      return [-(2 ** 31), 2 ** 31 - 1];
    case "uint32":
      return [0, 2 ** 32 - 1];
    default:
      return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  }
}
