import { crc32 } from "./crc32.ts";
import { FormatError } from "./format-error.ts";
import { PNG_SIGNATURE } from "./png-types.ts";

/** One PNG chunk: its four-letter type, its data (a view into the file) and its byte offset. */
export interface PngChunk {
  readonly type: string;
  readonly data: Uint8Array;
  readonly offset: number;
}

/**
 * Most chunks a PNG may have. Encoders write IDAT in pieces of 8 KiB (libpng) or more and a handful of ancillary
 * chunks, so a 32 MiB file holds about 4,000 (one IDAT per row stays under it up to 16,382 rows); a file of 2 M
 * empty chunks (28 MB) made the chunk walk and the IDAT concatenation cost 10 s and 1.2 GB before this bound.
 */
export const MAX_PNG_CHUNKS = 16_384;

/** The chunks whose CRC is checked even when the data chunks' are not: small, and they shape the decoding. */
const HEADER_CHUNKS = new Set(["IHDR", "PLTE", "tRNS"]);

/**
 * Splits a PNG file into chunks up to IEND, checking the signature, every length and every CRC — or, with
 * `crc: "header"`, only the CRCs of IHDR, PLTE and tRNS (the data chunks, nearly all of a file, are left to the
 * decoder: a size check then costs nothing per byte). At most MAX_PNG_CHUNKS chunks.
 */
export function readPngChunks(bytes: Uint8Array, fn = "decodePng", crc: "all" | "header" = "all"): PngChunk[] {
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new FormatError(fn, "not a PNG file (bad signature in the first 8 bytes)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let pos = 8;
  for (;;) {
    if (pos + 12 > bytes.length) {
      throw new FormatError(fn, `file is truncated at byte ${bytes.length}: no IEND chunk`);
    }
    if (chunks.length === MAX_PNG_CHUNKS) {
      throw new FormatError(fn, `more than ${MAX_PNG_CHUNKS} chunks before IEND (at byte ${pos})`);
    }
    const length = view.getUint32(pos);
    const [a, b, c, d] = [bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]];
    if (!isLetter(a) || !isLetter(b) || !isLetter(c) || !isLetter(d)) {
      throw new FormatError(fn, `invalid chunk type at byte ${pos + 4}`);
    }
    const type = String.fromCharCode(a, b, c, d);
    if (length > 0x7fffffff || pos + 12 + length > bytes.length) {
      throw new FormatError(fn, `chunk ${type} at byte ${pos} is truncated (declares ${length} bytes)`);
    }
    const sum = view.getUint32(pos + 8 + length);
    if ((crc === "all" || HEADER_CHUNKS.has(type)) && crc32(bytes, pos + 4, pos + 8 + length) !== sum) {
      throw new FormatError(fn, `CRC mismatch in chunk ${type} at byte ${pos}`);
    }
    chunks.push({ type, data: bytes.subarray(pos + 8, pos + 8 + length), offset: pos });
    pos += 12 + length;
    if (type === "IEND") return chunks;
  }
}

/** An ASCII letter, as chunk type bytes must be. */
const isLetter = (x: number) => (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a);
