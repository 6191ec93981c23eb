import { DtypeError } from "../errors/bcp-error.ts";
import { boundedInflate } from "./bounded-inflate.ts";
import { concatBytes } from "./concat-bytes.ts";
import { FormatError } from "./format-error.ts";
import { readPngChunks } from "./png-chunks.ts";
import { unfilterRows } from "./png-filter.ts";
import { readPngHeader } from "./png-header.ts";
import { pngPasses, pngRowBytes, pngStreamBytes } from "./png-layout.ts";
import { type DecodedPng, PNG_CHANNELS } from "./png-types.ts";

/** Options of decodePng. */
export interface DecodePngOptions {
  /** Refuse images with more pixels than this (default 2^26). */
  readonly maxPixels?: number;
}

/**
 * Decodes a PNG file (every color type and bit depth, Adam7 included) to samples [H, W, C].
 * IDAT is inflated by core's one bounded inflate: it stops at the size the header implies and bounds work
 * per byte. Throws FormatError on any defect.
 */
export function decodePng(bytes: Uint8Array, options: DecodePngOptions = {}): DecodedPng {
  const fn = "decodePng";
  if (!(bytes instanceof Uint8Array)) throw new DtypeError(fn, "bytes", "must be a Uint8Array");
  const h = readPngHeader(readPngChunks(bytes, fn), fn);
  const { width, height, bitDepth, colorType } = h;
  const maxPixels = options.maxPixels ?? 2 ** 26;
  if (width * height > maxPixels) {
    throw new FormatError(fn, `image ${width}x${height} exceeds maxPixels ${maxPixels}`);
  }
  const channels = PNG_CHANNELS[colorType];
  const passes = pngPasses(width, height, h.interlaced);
  const expected = pngStreamBytes(passes, channels, bitDepth);
  const idat = h.idat.length === 1 ? h.idat[0] : concatBytes(h.idat);
  const raw = boundedInflate(idat, "zlib", { fn, what: "IDAT data", maxBytes: expected });
  if (raw.length !== expected) {
    throw new FormatError(fn, `IDAT data is truncated: inflates to ${raw.length} of ${expected} bytes`);
  }
  const bpp = Math.max(1, (channels * bitDepth) >> 3);
  const palette = h.palette;
  const outChannels = palette ? (h.trns ? 4 : 3) : channels;
  const out =
    bitDepth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * outChannels);
  const entries = palette ? palette.length / 3 : 0;
  let offset = 0;
  for (const p of passes) {
    if (p.width === 0 || p.height === 0) continue;
    const rowBytes = pngRowBytes(p.width, channels, bitDepth);
    unfilterRows(raw, offset, p.height, rowBytes, bpp);
    if (!palette && !h.interlaced && bitDepth >= 8) {
      copyRows(raw, offset, rowBytes, p.height, bitDepth, out);
      offset += p.height * (rowBytes + 1);
      continue;
    }
    for (let j = 0; j < p.height; j++) {
      const row = offset + j * (rowBytes + 1) + 1;
      const y = p.y0 + j * p.dy;
      for (let i = 0; i < p.width; i++) {
        const dst = (y * width + p.x0 + i * p.dx) * outChannels;
        for (let c = 0; c < channels; c++) {
          const s = i * channels + c;
          let value: number;
          if (bitDepth === 8) value = raw[row + s];
          else if (bitDepth === 16) value = (raw[row + 2 * s] << 8) | raw[row + 2 * s + 1];
          else {
            const bit = s * bitDepth;
            value = (raw[row + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
          }
          if (!palette) {
            out[dst + c] = value;
            continue;
          }
          if (value >= entries) throw new FormatError(fn, `palette index ${value} out of ${entries} entries`);
          out[dst] = palette[3 * value];
          out[dst + 1] = palette[3 * value + 1];
          out[dst + 2] = palette[3 * value + 2];
          if (outChannels === 4) out[dst + 3] = h.trns && value < h.trns.length ? h.trns[value] : 255;
        }
      }
    }
    offset += p.height * (rowBytes + 1);
  }
  let transparentColor: number[] | undefined;
  if (h.trns && !palette) {
    const tv = new DataView(h.trns.buffer, h.trns.byteOffset, h.trns.byteLength);
    transparentColor = Array.from({ length: h.trns.length / 2 }, (_, k) => tv.getUint16(2 * k));
  }
  return {
    data: out,
    width,
    height,
    channels: outChannels as DecodedPng["channels"],
    bitDepth: palette ? 8 : bitDepth,
    colorType,
    fileBitDepth: bitDepth,
    interlaced: h.interlaced,
    ...(transparentColor ? { transparentColor } : {}),
  };
}

/** The whole-image pass of an 8- or 16-bit image without palette: rows are the samples, big-endian at 16. */
function copyRows(
  raw: Uint8Array,
  offset: number,
  rowBytes: number,
  rows: number,
  bitDepth: number,
  out: Uint8Array | Uint16Array,
): void {
  for (let j = 0; j < rows; j++) {
    const row = offset + j * (rowBytes + 1) + 1;
    if (bitDepth === 8) {
      out.set(raw.subarray(row, row + rowBytes), j * rowBytes);
      continue;
    }
    const dst = (j * rowBytes) >> 1;
    for (let k = 0; k < rowBytes; k += 2) out[dst + (k >> 1)] = (raw[row + k] << 8) | raw[row + k + 1];
  }
}
