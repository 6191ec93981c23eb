import { FormatError } from "./format-error.ts";
import type { PngChunk } from "./png-chunks.ts";
import { PNG_CHANNELS, PNG_DEPTHS, type PngBitDepth, type PngColorType } from "./png-types.ts";

/** The fields of IHDR, PLTE and tRNS that decoding needs, plus the IDAT chunks in order. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: PngBitDepth;
  readonly colorType: PngColorType;
  readonly interlaced: boolean;
  readonly palette?: Uint8Array;
  readonly trns?: Uint8Array;
  readonly idat: readonly Uint8Array[];
}

/** Validates the chunk sequence (IHDR first, PLTE/tRNS before IDAT, contiguous IDAT) and reads IHDR. */
export function readPngHeader(chunks: readonly PngChunk[], fn = "decodePng"): PngHeader {
  const ihdr = chunks[0];
  if (ihdr.type !== "IHDR" || ihdr.data.length !== 13) {
    throw new FormatError(fn, `first chunk must be a 13-byte IHDR, got ${ihdr.type} of ${ihdr.data.length} bytes`);
  }
  const v = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 13);
  const width = v.getUint32(0);
  const height = v.getUint32(4);
  const bitDepth = v.getUint8(8) as PngBitDepth;
  const colorType = v.getUint8(9) as PngColorType;
  const [compression, filter, interlace] = [v.getUint8(10), v.getUint8(11), v.getUint8(12)];
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new FormatError(fn, `IHDR size ${width}x${height} is invalid`);
  }
  if (!(colorType in PNG_CHANNELS)) throw new FormatError(fn, `IHDR color type ${colorType} is invalid`);
  if (!PNG_DEPTHS[colorType].includes(bitDepth)) {
    throw new FormatError(fn, `IHDR bit depth ${bitDepth} is invalid for color type ${colorType}`);
  }
  if (compression !== 0 || filter !== 0 || interlace > 1) {
    throw new FormatError(fn, `IHDR compression/filter/interlace ${compression}/${filter}/${interlace} unsupported`);
  }
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatEnded = false;
  for (let i = 1; i < chunks.length; i++) {
    const { type, data, offset } = chunks[i];
    if (type === "IDAT") {
      if (idatEnded) throw new FormatError(fn, `chunk IDAT at byte ${offset}: IDAT chunks must be consecutive`);
      idat.push(data);
      continue;
    }
    if (idat.length > 0) idatEnded = true;
    const where = `chunk ${type} at byte ${offset}`;
    if (type === "IHDR") throw new FormatError(fn, `${where}: duplicate IHDR`);
    if (type === "PLTE") {
      if (palette || idat.length > 0 || colorType === 0 || colorType === 4) {
        throw new FormatError(fn, `${where}: PLTE is misplaced or not allowed for color type ${colorType}`);
      }
      if (data.length === 0 || data.length % 3 !== 0 || data.length > 768) {
        throw new FormatError(fn, `${where}: PLTE length ${data.length} is not 3 x (1..256)`);
      }
      palette = data;
    } else if (type === "tRNS") {
      const want = colorType === 0 ? 2 : colorType === 2 ? 6 : -1;
      const ok =
        idat.length === 0 && (colorType === 3 ? !!palette && data.length <= palette.length / 3 : data.length === want);
      if (!ok) throw new FormatError(fn, `${where}: tRNS is misplaced or has the wrong length`);
      trns = data;
    } else if (type !== "IEND" && !(type.charCodeAt(0) & 0x20)) {
      throw new FormatError(fn, `${where}: unsupported critical chunk`);
    }
  }
  if (colorType === 3 && !palette) throw new FormatError(fn, "palette image has no PLTE chunk");
  if (idat.length === 0) throw new FormatError(fn, "no IDAT chunk");
  return { width, height, bitDepth, colorType, interlaced: interlace === 1, palette, trns, idat };
}
