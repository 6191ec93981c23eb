import { DtypeError } from "../errors/bcp-error.ts";
import { readPngChunks } from "./png-chunks.ts";
import { readPngHeader } from "./png-header.ts";
import { pngPasses, pngStreamBytes } from "./png-layout.ts";
import { PNG_CHANNELS, type PngBitDepth, type PngColorType } from "./png-types.ts";

/** What a PNG file declares, read without inflating anything. */
export interface PngInfo {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: PngBitDepth;
  readonly colorType: PngColorType;
  readonly interlaced: boolean;
  /** Samples per pixel in the file (a palette index is one). */
  readonly channels: 1 | 2 | 3 | 4;
  /** Bytes the IDAT stream must inflate to (filter bytes included): what decodePng allocates for it. */
  readonly streamBytes: number;
}

/**
 * Reads a PNG's IHDR only after checking what makes it trustworthy: the signature, every chunk's length and
 * CRC up to IEND, IHDR first and well formed, PLTE/tRNS/IDAT in order. Throws FormatError otherwise, so a
 * file that is not a PNG never has its bytes 16..24 taken for a size. Costs one CRC pass, no allocation.
 */
export function readPngInfo(bytes: Uint8Array, options: { readonly crc?: "all" | "header" } = {}): PngInfo {
  const fn = "readPngInfo";
  if (!(bytes instanceof Uint8Array)) throw new DtypeError(fn, "bytes", "must be a Uint8Array");
  const h = readPngHeader(readPngChunks(bytes, fn, options.crc ?? "all"), fn);
  const channels = PNG_CHANNELS[h.colorType];
  const streamBytes = pngStreamBytes(pngPasses(h.width, h.height, h.interlaced), channels, h.bitDepth);
  return {
    width: h.width,
    height: h.height,
    bitDepth: h.bitDepth,
    colorType: h.colorType,
    interlaced: h.interlaced,
    channels,
    streamBytes,
  };
}
