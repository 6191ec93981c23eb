import { DicomError } from "./dicom-error.ts";
import type { DicomInstance } from "./dicom-instance.ts";

/** Options of {@link decodeDicomFrames}. */
export interface DecodeDicomFramesOptions {
  /** Refuse more voxels (rows x columns x frames) than this before allocating (default 2^27). */
  readonly maxVoxels?: number;
  /** Invert MONOCHROME1 so that brighter is higher, as MONOCHROME2 (default true). */
  readonly invertMonochrome1?: boolean;
}

const fn = "decodeDicomFrames";

/**
 * Checks, without decoding or allocating, that {@link decodeDicomFrames} can decode an instance: native pixel data
 * (else ERR_DICOM_TRANSFER_SYNTAX naming the syntax), one sample MONOCHROME1/2 of 8, 16 or 32 bits
 * (ERR_DICOM_UNSUPPORTED), at most `maxVoxels` (ERR_DICOM_LIMIT), and as many bytes as the dimensions declare
 * (ERR_DICOM_FORMAT).
 */
export function checkDicomPixels(instance: DicomInstance, options: DecodeDicomFramesOptions = {}): void {
  const { rows, columns, frames, bitsAllocated: ba, bitsStored: bs } = instance;
  const ts = instance.transferSyntax;
  const px = instance.pixelData;
  if (!px)
    throw new DicomError("ERR_DICOM_UNSUPPORTED", fn, "the file has no pixel data (7FE0,0010)", {
      reason: "no-pixels",
    });
  if (px.encapsulated || !ts.native) {
    throw new DicomError(
      "ERR_DICOM_TRANSFER_SYNTAX",
      fn,
      `pixel data in transfer syntax ${ts.uid} (${ts.name}) is not decoded; send explicit or implicit VR little endian, explicit VR big endian or deflated`,
      { reason: "transfer-syntax", transferSyntaxUid: ts.uid, transferSyntaxName: ts.name },
    );
  }
  const unsupported = (message: string, reason: string) =>
    new DicomError("ERR_DICOM_UNSUPPORTED", fn, message, { reason });
  if (instance.samplesPerPixel !== 1) {
    throw unsupported(
      `SamplesPerPixel ${instance.samplesPerPixel} (${instance.photometricInterpretation || "colour"}): only single-sample (grey) images are read`,
      "samples-per-pixel",
    );
  }
  const photometric = instance.photometricInterpretation || "MONOCHROME2";
  if (photometric !== "MONOCHROME1" && photometric !== "MONOCHROME2") {
    throw unsupported(
      `PhotometricInterpretation ${photometric}: only MONOCHROME1 and MONOCHROME2 are read`,
      "photometric",
    );
  }
  if (ba !== 8 && ba !== 16 && ba !== 32)
    throw unsupported(`BitsAllocated ${ba}: only 8, 16 and 32 are read`, "bits-allocated");
  if (!(bs >= 1 && bs <= ba)) throw unsupported(`BitsStored ${bs} with BitsAllocated ${ba}`, "bits-stored");
  if (!(rows >= 1 && columns >= 1)) throw unsupported(`Rows ${rows} x Columns ${columns}`, "dimensions");
  const maxVoxels = options.maxVoxels ?? 2 ** 27;
  const n = rows * columns;
  const voxels = n * frames;
  if (voxels > maxVoxels) {
    throw new DicomError(
      "ERR_DICOM_LIMIT",
      fn,
      `${rows} x ${columns} x ${frames} frames is more than maxVoxels ${maxVoxels}`,
      {
        reason: "voxels",
        limit: maxVoxels,
      },
    );
  }
  const size = ba / 8;
  if (px.length < voxels * size) {
    throw new DicomError(
      "ERR_DICOM_FORMAT",
      fn,
      `pixel data has ${px.length} bytes, ${rows} x ${columns} x ${frames} frames of ${ba} bits need ${voxels * size}`,
      { reason: "pixel-length" },
    );
  }
}

/**
 * The frames of a native (uncompressed) single-sample image as float32 [frames, rows, columns] row-major, columns
 * fastest: the stored values masked to BitsStored (sign-extended for PixelRepresentation 1), MONOCHROME1 inverted
 * within the stored range (stored' = max + min - stored), then each frame's RescaleSlope/Intercept applied (CT:
 * Hounsfield units), as pydicom's `pixel_array * slope + intercept`. Bits allocated 8, 16 or 32, either byte order.
 * Refused with a DicomError before any allocation: encapsulated pixel data (ERR_DICOM_TRANSFER_SYNTAX, naming the
 * syntax), colour or 1-bit pixels (ERR_DICOM_UNSUPPORTED), more than `maxVoxels` (ERR_DICOM_LIMIT), and pixel data
 * shorter than the dimensions declare (ERR_DICOM_FORMAT).
 */
export function decodeDicomFrames(instance: DicomInstance, options: DecodeDicomFramesOptions = {}): Float32Array {
  checkDicomPixels(instance, options);
  const { rows, columns, frames, bitsStored: bs, pixelRepresentation: rep } = instance;
  const photometric = instance.photometricInterpretation || "MONOCHROME2";
  const n = rows * columns;
  const words = storedWords(instance, n * frames);
  const signed = rep === 1;
  // HighBit below BitsAllocated - 1 places the stored bits lower in the word (PS3.5 8.1.1).
  const shift = Math.max(0, instance.highBit + 1 - bs);
  const span = 2 ** bs;
  const invert = photometric === "MONOCHROME1" && (options.invertMonochrome1 ?? true);
  // Stored range: unsigned [0, 2^bs - 1], signed [-2^(bs-1), 2^(bs-1) - 1]; max + min is their sum.
  const flip = signed ? -1 : span - 1;
  const out = new Float32Array(n * frames);
  // Words of up to 31 bits go through 32-bit integer ops: mask, then sign-extend by a shift pair.
  const small = bs < 32;
  const mask = small ? span - 1 : 0;
  const ext = 32 - bs;
  for (let f = 0; f < frames; f++) {
    const g = instance.frameGeometry[f];
    const slope = g?.rescaleSlope ?? 1;
    const inter = g?.rescaleIntercept ?? 0;
    for (let i = f * n, end = i + n; i < end; i++) {
      let v: number;
      if (small) {
        v = (words[i] >>> shift) & mask;
        if (signed) v = (v << ext) >> ext;
      } else v = signed ? words[i] | 0 : words[i];
      if (invert) v = flip - v;
      out[i] = v * slope + inter;
    }
  }
  return out;
}

const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// The stored words as unsigned integers in platform order: a view of the file where its byte order and alignment
// allow, else a copy read through a DataView.
function storedWords(instance: DicomInstance, count: number): Uint8Array | Uint16Array | Uint32Array {
  const px = instance.pixelData as NonNullable<DicomInstance["pixelData"]>;
  const bytes = instance.bytes;
  const at = bytes.byteOffset + px.offset;
  const ba = instance.bitsAllocated;
  if (ba === 8) return new Uint8Array(bytes.buffer, at, count);
  const size = ba / 8;
  const le = instance.transferSyntax.littleEndian;
  if (le === LITTLE_ENDIAN_PLATFORM && at % size === 0) {
    return ba === 16 ? new Uint16Array(bytes.buffer, at, count) : new Uint32Array(bytes.buffer, at, count);
  }
  const view = new DataView(bytes.buffer, at, count * size);
  if (ba === 16) {
    const out = new Uint16Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, le);
    return out;
  }
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, le);
  return out;
}
