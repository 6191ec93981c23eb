import { adler32 } from "./adler32.ts";
import { crc32 } from "./crc32.ts";
import { DIST_BASE, DIST_EXTRA, FIXED_DIST_LENGTHS, FIXED_LIT_LENGTHS, LEN_BASE, LEN_EXTRA } from "./deflate-tables.ts";
import { FormatError } from "./format-error.ts";
import { huffmanTable } from "./huffman-table.ts";

const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
let fixed: { lit: ReturnType<typeof huffmanTable>; dist: ReturnType<typeof huffmanTable> } | undefined;

/** Options of {@link boundedInflate}. */
export interface BoundedInflateOptions {
  /** The decoder's name, for the FormatError. */
  readonly fn: string;
  /** What is inflated ("IDAT data", "gzip data"), for the FormatError. */
  readonly what: string;
  /** Most bytes of output; more is a FormatError. The work bounds scale with it. */
  readonly maxBytes: number;
  /**
   * Return the first `maxBytes` bytes as soon as they are out (fewer if the stream ends first): the rest is
   * never inflated, nor its trailer checked. Default false: inflate all, check the trailer.
   */
  readonly prefix?: boolean;
  /**
   * First size of the output buffer, which then doubles up to `maxBytes` (default: all a stream of this length can
   * need, at most `maxBytes`; right when `maxBytes` is the size a header declared, too much when it is only a cap).
   */
  readonly initialBytes?: number;
}

/**
 * The one inflate of untrusted input (PNG IDAT as zlib, NIfTI as gzip, a deflated DICOM data set as raw deflate),
 * in the calling thread. Output goes into
 * one buffer grown up to `maxBytes`; past it, a FormatError (or, with `prefix`, the first `maxBytes`), as for
 * every defect (bad header, code, distance, checksum, truncation). Work is bounded by `maxBytes` too, not only
 * by the input: at most 64 + maxBytes / 32 blocks, and Huffman tables of at most 2^20 + 8 x maxBytes entries in
 * all, so a stream of empty blocks (each rebuilding a 2^15-entry table from a few bytes) is refused after a
 * bounded effort. Encoders stay far inside both: zlib writes a block per 16 K symbols or 64 KiB stored, two
 * tables of at most 2^15 each. (fflate's inflaters are faster but count neither blocks nor tables, so their
 * work can only be bounded per input byte: ~50x looser, see BENCHMARKS.md.)
 */
export function boundedInflate(
  bytes: Uint8Array,
  format: "zlib" | "gzip" | "raw",
  options: BoundedInflateOptions,
): Uint8Array {
  const { fn, what, maxBytes, prefix = false, initialBytes } = options;
  const bad = (why: string) => new FormatError(fn, `${what} is not a valid ${format} stream (${why})`);
  const start = format === "raw" ? 0 : format === "zlib" ? zlibHeader(bytes, bad) : gzipHeader(bytes, bad);
  const len = bytes.length;
  let pos = start;
  let bitbuf = 0;
  let bitcnt = 0;
  // Deflate expands at most 1032:1, so this is all the room a valid stream of `len` bytes can need.
  let out = new Uint8Array(Math.min(maxBytes, initialBytes ?? 1032 * len + 1024));
  let full = false;
  let o = 0;
  const maxBlocks = 64 + Math.floor(maxBytes / 32);
  let tableBudget = 2 ** 20 + 8 * maxBytes;
  let blocks = 0;
  const spend = (t: ReturnType<typeof huffmanTable>) => {
    tableBudget -= t.table.length;
    if (tableBudget < 0) throw bad(`Huffman tables exceed the work bound for ${maxBytes} bytes of output`);
    return t;
  };
  const need = (n: number) => {
    while (bitcnt < n) {
      if (pos >= len) throw bad("truncated");
      bitbuf |= bytes[pos++] << bitcnt;
      bitcnt += 8;
    }
  };
  const bits = (n: number) => {
    need(n);
    const v = bitbuf & ((1 << n) - 1);
    bitbuf >>>= n;
    bitcnt -= n;
    return v;
  };
  // Makes room for n more bytes; with `prefix`, past maxBytes it grows just enough and marks the output full.
  const room = (n: number) => {
    if (o + n <= out.length) return;
    let cap = maxBytes;
    if (o + n > maxBytes) {
      if (!prefix) throw new FormatError(fn, `${what} inflates to more than ${maxBytes} bytes`);
      full = true;
      cap = o + n;
    }
    const grown = new Uint8Array(Math.min(cap, Math.max(o + n, out.length * 2)));
    grown.set(out.subarray(0, o));
    out = grown;
  };
  // Peeks up to `t.bits` bits (zero-padded at the end of input), then consumes the matched code's length.
  const symbol = (t: ReturnType<typeof huffmanTable>) => {
    while (bitcnt < t.bits && pos < len) {
      bitbuf |= bytes[pos++] << bitcnt;
      bitcnt += 8;
    }
    const e = t.table[bitbuf & t.mask];
    if (e === 0) throw bad("invalid Huffman code");
    const l = e & 15;
    if (l > bitcnt) throw bad("truncated");
    bitbuf >>>= l;
    bitcnt -= l;
    return e >> 4;
  };
  inflating: for (let final = 0; !final; ) {
    if (++blocks > maxBlocks) throw bad(`more than ${maxBlocks} blocks for at most ${maxBytes} bytes of output`);
    final = bits(1);
    const type = bits(2);
    if (type === 0) {
      // Stored: drop to a byte boundary and give back the whole bytes already buffered.
      bitbuf = 0;
      pos -= bitcnt >> 3;
      bitcnt = 0;
      if (pos + 4 > len) throw bad("truncated");
      const n = bytes[pos] | (bytes[pos + 1] << 8);
      if ((n ^ (bytes[pos + 2] | (bytes[pos + 3] << 8))) !== 0xffff) throw bad("stored block length check");
      pos += 4;
      if (pos + n > len) throw bad("truncated");
      room(n);
      out.set(bytes.subarray(pos, pos + n), o);
      o += n;
      pos += n;
      if (full) break;
      continue;
    }
    let lit: ReturnType<typeof huffmanTable>;
    let dist: ReturnType<typeof huffmanTable>;
    if (type === 1) {
      fixed ??= { lit: huffmanTable(FIXED_LIT_LENGTHS), dist: huffmanTable(FIXED_DIST_LENGTHS) };
      ({ lit, dist } = fixed);
    } else if (type === 2) {
      const hlit = bits(5) + 257;
      const hdist = bits(5) + 1;
      const hclen = bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < hclen; i++) cl[CL_ORDER[i]] = bits(3);
      const clt = spend(huffmanTable(cl, bad));
      const lengths = new Uint8Array(hlit + hdist);
      for (let i = 0; i < hlit + hdist; ) {
        const s = symbol(clt);
        if (s < 16) {
          lengths[i++] = s;
          continue;
        }
        if (s === 16 && i === 0) throw bad("repeat with no previous length");
        const v = s === 16 ? lengths[i - 1] : 0;
        const r = s === 16 ? 3 + bits(2) : s === 17 ? 3 + bits(3) : 11 + bits(7);
        if (i + r > hlit + hdist) throw bad("too many code lengths");
        lengths.fill(v, i, i + r);
        i += r;
      }
      if (lengths[256] === 0) throw bad("no end-of-block code");
      lit = spend(huffmanTable(lengths.subarray(0, hlit), bad));
      dist = spend(huffmanTable(lengths.subarray(hlit), bad));
    } else throw bad("block type 3");
    const lt = lit.table;
    const lbits = lit.bits;
    const lmask = lit.mask;
    for (;;) {
      // symbol(lit), inlined: this loop runs once per output literal.
      while (bitcnt < lbits && pos < len) {
        bitbuf |= bytes[pos++] << bitcnt;
        bitcnt += 8;
      }
      const e = lt[bitbuf & lmask];
      const l = e & 15;
      if (e === 0) throw bad("invalid Huffman code");
      if (l > bitcnt) throw bad("truncated");
      bitbuf >>>= l;
      bitcnt -= l;
      const s = e >> 4;
      if (s < 256) {
        if (o >= out.length) {
          room(1);
          if (full) break inflating;
        }
        out[o++] = s;
        continue;
      }
      if (s === 256) break;
      if (s > 285) throw bad(`length symbol ${s}`);
      const n = LEN_BASE[s - 257] + bits(LEN_EXTRA[s - 257]);
      const ds = symbol(dist);
      if (ds > 29) throw bad(`distance symbol ${ds}`);
      const d = DIST_BASE[ds] + bits(DIST_EXTRA[ds]);
      if (d > o) throw bad("distance too far back");
      room(n);
      // Byte by byte: a match may overlap the bytes it writes (distance < length).
      for (let k = 0; k < n; k++, o++) out[o] = out[o - d];
      if (full) break inflating;
    }
  }
  if (full) return out.subarray(0, maxBytes);
  pos -= bitcnt >> 3;
  const result = out.length === o ? out : out.subarray(0, o);
  if (format === "raw") return result;
  if (format === "zlib") {
    if (pos + 4 > len) throw bad("truncated checksum");
    const v = new DataView(bytes.buffer, bytes.byteOffset + pos, 4);
    if (adler32(result) !== v.getUint32(0)) throw bad("Adler-32 mismatch");
  } else {
    if (pos + 8 > len) throw bad("truncated trailer");
    const v = new DataView(bytes.buffer, bytes.byteOffset + pos, 8);
    if (crc32(result) !== v.getUint32(0, true) || v.getUint32(4, true) !== o >>> 0)
      throw bad("CRC-32 or size mismatch");
  }
  return result;
}

// RFC 1950: CMF, FLG; deflate with a window of at most 32 KiB, the check bits, no preset dictionary.
function zlibHeader(bytes: Uint8Array, bad: (why: string) => FormatError): number {
  if (bytes.length < 2) throw bad("no zlib header");
  const cmf = bytes[0];
  const flg = bytes[1];
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw bad("bad zlib header");
  if (flg & 32) throw bad("preset dictionary");
  return 2;
}

// RFC 1952: magic, CM = 8, FLG, MTIME, XFL, OS, then the optional FEXTRA, FNAME, FCOMMENT, FHCRC fields.
function gzipHeader(bytes: Uint8Array, bad: (why: string) => FormatError): number {
  const len = bytes.length;
  if (len < 10 || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 8) throw bad("bad gzip header");
  const flg = bytes[3];
  if (flg & 0xe0) throw bad("reserved gzip flags");
  let pos = 10;
  if (flg & 4) {
    if (pos + 2 > len) throw bad("truncated header");
    pos += 2 + (bytes[pos] | (bytes[pos + 1] << 8));
  }
  for (const bit of [8, 16]) {
    if (!(flg & bit)) continue;
    while (pos < len && bytes[pos] !== 0) pos++;
    pos++;
  }
  if (flg & 2) pos += 2;
  if (pos > len) throw bad("truncated header");
  return pos;
}
