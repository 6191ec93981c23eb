import { zlibSync } from "fflate";
import { ArgumentError, ShapeError } from "../errors/bcp-error.ts";
import { checkData } from "../tensor/check.ts";
import { concatBytes } from "./concat-bytes.ts";
import { crc32 } from "./crc32.ts";
import { filterCost, filterRow, type PngFilter } from "./png-filter.ts";
import { pngPasses, pngRowBytes, pngStreamBytes } from "./png-layout.ts";
import { PNG_DEPTHS, PNG_SIGNATURE, type PngBitDepth, type PngColorType } from "./png-types.ts";

/** An image to encode: samples [H, W, C] row-major, each in [0, 2^bitDepth - 1] (palette indices if `palette`). */
export interface PngImage {
  readonly data: Uint8Array | Uint8ClampedArray | Uint16Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly bitDepth: PngBitDepth;
  /** RGB triples; makes a palette image whose one channel holds indices. */
  readonly palette?: Uint8Array;
  /** Alpha per palette entry (a tRNS chunk). */
  readonly paletteAlpha?: Uint8Array;
}

/** Options of encodePng. */
export interface EncodePngOptions {
  /** Adam7 interlacing (default false). */
  readonly interlace?: boolean;
  /** One filter for every row, or "adaptive": per row the one with the least sum of |signed bytes| (default). */
  readonly filter?: PngFilter | "adaptive";
  /** Deflate level 0 (stored) to 9 (smallest), fflate's as zlib's (default 6); 1 is fastest and fine for label maps. */
  readonly level?: DeflateLevel;
}

const COLOR_TYPES: readonly PngColorType[] = [0, 4, 2, 6];

/** Deflate levels of {@link EncodePngOptions.level}. */
export type DeflateLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** Encodes samples [H, W, C] as a PNG file that any reader accepts. */
export function encodePng(image: PngImage, options: EncodePngOptions = {}): Uint8Array {
  const fn = "encodePng";
  const { data, width, height, channels, bitDepth, palette, paletteAlpha } = image;
  for (const [k, v] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0 || v > 0x7fffffff) throw new ArgumentError(fn, k, `must be a positive integer`);
  }
  const colorType: PngColorType | undefined = palette ? (channels === 1 ? 3 : undefined) : COLOR_TYPES[channels - 1];
  if (colorType === undefined) throw new ArgumentError(fn, "channels", `must be 1..4 (1 with a palette)`);
  if (!PNG_DEPTHS[colorType].includes(bitDepth)) {
    throw new ArgumentError(fn, "bitDepth", `${bitDepth} is not allowed for color type ${colorType}`);
  }
  checkData(fn, "data", data, [height, width, channels]);
  if (palette && (palette.length === 0 || palette.length % 3 !== 0 || palette.length > 3 * (1 << bitDepth))) {
    throw new ShapeError(fn, "palette", `must hold 1..${1 << bitDepth} RGB triples, got ${palette.length} bytes`);
  }
  if (paletteAlpha && (!palette || paletteAlpha.length > palette.length / 3)) {
    throw new ShapeError(fn, "paletteAlpha", "needs a palette and at most one alpha per entry");
  }
  const limit = palette ? palette.length / 3 : 2 ** bitDepth;
  // Every value of the array type fits: nothing to check.
  const fits =
    (data instanceof Uint16Array && limit >= 65536) ||
    ((data instanceof Uint8Array || data instanceof Uint8ClampedArray) && limit >= 256);
  for (let i = 0; !fits && i < data.length; i++) {
    const v = data[i];
    if (!(Number.isInteger(v) && v >= 0 && v < limit)) {
      throw new ArgumentError(fn, "data", `value ${v} at ${i} is outside [0, ${limit - 1}]`);
    }
  }
  const filter = options.filter ?? "adaptive";
  if (filter !== "adaptive" && ![0, 1, 2, 3, 4].includes(filter)) {
    throw new ArgumentError(fn, "filter", `must be 0..4 or "adaptive", got ${String(filter)}`);
  }
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new ArgumentError(fn, "level", `must be an integer 0..9, got ${String(level)}`);
  }

  const passes = pngPasses(width, height, options.interlace === true);
  const stream = new Uint8Array(pngStreamBytes(passes, channels, bitDepth));
  const bpp = Math.max(1, (channels * bitDepth) >> 3);
  let offset = 0;
  for (const p of passes) {
    if (p.width === 0 || p.height === 0) continue;
    const rowBytes = pngRowBytes(p.width, channels, bitDepth);
    let prev: Uint8Array | undefined;
    let cur: Uint8Array = new Uint8Array(rowBytes);
    const trial = new Uint8Array(rowBytes + 1);
    for (let j = 0; j < p.height; j++) {
      const y = p.y0 + j * p.dy;
      if (filter === 0 && bitDepth === 8 && p.dx === 1) {
        // Rows are the samples: copy them after the filter byte.
        const src = y * width * channels;
        stream[offset] = 0;
        stream.set(data.subarray(src, src + rowBytes), offset + 1);
        offset += rowBytes + 1;
        continue;
      }
      if (bitDepth < 8) cur.fill(0);
      for (let i = 0; i < p.width; i++) {
        const src = (y * width + p.x0 + i * p.dx) * channels;
        for (let c = 0; c < channels; c++) {
          const v = data[src + c];
          const s = i * channels + c;
          if (bitDepth === 8) cur[s] = v;
          else if (bitDepth === 16) {
            cur[2 * s] = v >> 8;
            cur[2 * s + 1] = v & 0xff;
          } else cur[(s * bitDepth) >> 3] |= v << (8 - bitDepth - ((s * bitDepth) & 7));
        }
      }
      const out = stream.subarray(offset, offset + rowBytes + 1);
      if (filter !== "adaptive") filterRow(cur, prev, bpp, filter, out);
      else {
        let best = Number.POSITIVE_INFINITY;
        for (const t of [0, 1, 2, 3, 4] as const) {
          filterRow(cur, prev, bpp, t, trial);
          const cost = filterCost(trial);
          if (cost < best) {
            best = cost;
            out.set(trial);
          }
        }
      }
      [prev, cur] = [cur, prev ?? new Uint8Array(rowBytes)];
      offset += rowBytes + 1;
    }
  }
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr.set([bitDepth, colorType, 0, 0, options.interlace ? 1 : 0], 8);
  const parts = [Uint8Array.from(PNG_SIGNATURE), pngChunk("IHDR", ihdr)];
  if (palette) parts.push(pngChunk("PLTE", palette));
  if (paletteAlpha) parts.push(pngChunk("tRNS", paletteAlpha));
  parts.push(pngChunk("IDAT", zlibSync(stream, { level })), pngChunk("IEND", new Uint8Array(0)));
  return concatBytes(parts);
}

/** One PNG chunk: length, type, data, CRC of type + data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}
