import { adler32 } from "./adler32.ts";
import { DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA } from "./deflate-tables.ts";

const WINDOW = 32768;
const HASH_BITS = 15;
const CHAIN = 16;
const MAX_MATCH = 258;

// Fixed-code symbols, bit-reversed for the LSB-first stream: code and length per literal/length symbol.
let litCode: Uint16Array | undefined;
let litLen: Uint8Array | undefined;
let distCode: Uint8Array | undefined;
let lenSym: Uint8Array | undefined;

function reverse(c: number, n: number): number {
  let r = 0;
  for (let k = 0; k < n; k++, c >>= 1) r = (r << 1) | (c & 1);
  return r;
}

function tables(): void {
  litCode = new Uint16Array(288);
  litLen = new Uint8Array(288);
  for (let s = 0; s < 288; s++) {
    const [base, first, n] =
      s < 144 ? [0x30, 0, 8] : s < 256 ? [0x190, 144, 9] : s < 280 ? [0, 256, 7] : [0xc0, 280, 8];
    litCode[s] = reverse(base + s - first, n);
    litLen[s] = n;
  }
  distCode = Uint8Array.from({ length: 30 }, (_, d) => reverse(d, 5));
  lenSym = new Uint8Array(MAX_MATCH + 1);
  for (let s = 0; s < 29; s++) for (let l = LEN_BASE[s]; l < (LEN_BASE[s + 1] ?? 259); l++) lenSym[l] = s;
  lenSym[258] = 28;
}

/**
 * Compresses `bytes` to a zlib stream (RFC 1950) in the calling thread: greedy LZ77 over a 32 KiB window
 * (3-byte hash chains, 16 deep) coded with the fixed Huffman codes in one block, or stored blocks when that
 * would be larger. Ratios are below zlib's on noisy images but it needs no stream or thread hop, and runs
 * of equal bytes (label maps) shrink to 13 bits per 258 bytes.
 */
export function deflateInline(bytes: Uint8Array): Uint8Array {
  if (!litCode) tables();
  const lc = litCode as Uint16Array;
  const ll = litLen as Uint8Array;
  const dc = distCode as Uint8Array;
  const ls = lenSym as Uint8Array;
  const n = bytes.length;
  let out = new Uint8Array(1024 + (n >> 2));
  let o = 2;
  out[0] = 0x78;
  out[1] = 0x01; // deflate, 32 KiB window, "fastest" level; 0x7801 % 31 === 0
  let bitbuf = 0;
  let bitcnt = 0;
  const put = (code: number, len: number) => {
    bitbuf |= code << bitcnt;
    bitcnt += len;
    while (bitcnt >= 8) {
      out[o++] = bitbuf & 0xff;
      bitbuf >>>= 8;
      bitcnt -= 8;
    }
  };
  const stored = n + 5 * Math.ceil(n / 65535 || 1) + 6;
  put(0b011, 3); // BFINAL = 1, BTYPE = 01 (fixed codes)
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(WINDOW);
  const hash = (i: number) =>
    (((bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]) * 0x9e3779b1) >>> (32 - HASH_BITS);
  let i = 0;
  while (i < n) {
    if (o + 16 > out.length) {
      if (o > stored) return storedStream(bytes);
      const grown = new Uint8Array(out.length * 2);
      grown.set(out.subarray(0, o));
      out = grown;
    }
    let best = 0;
    let dist = 0;
    if (i + 2 < n) {
      const h = hash(i);
      const limit = Math.min(MAX_MATCH, n - i);
      for (let j = head[h], k = 0; j >= 0 && i - j <= WINDOW && k < CHAIN; j = prev[j & (WINDOW - 1)], k++) {
        if (bytes[j + best] !== bytes[i + best]) continue;
        let m = 0;
        while (m < limit && bytes[j + m] === bytes[i + m]) m++;
        if (m > best) {
          best = m;
          dist = i - j;
          if (m === limit) break;
        }
      }
      prev[i & (WINDOW - 1)] = head[h];
      head[h] = i;
    }
    if (best < 3) {
      put(lc[bytes[i]], ll[bytes[i]]);
      i++;
      continue;
    }
    const s = ls[best];
    put(lc[257 + s], ll[257 + s]);
    if (LEN_EXTRA[s]) put(best - LEN_BASE[s], LEN_EXTRA[s]);
    let d = 29;
    while (DIST_BASE[d] > dist) d--;
    put(dc[d], 5);
    if (DIST_EXTRA[d]) put(dist - DIST_BASE[d], DIST_EXTRA[d]);
    // Index the bytes of short matches, so later matches can start inside them; of a long one (a run, as
    // zlib's max_insert_length reasons) only its last bytes, so the next match finds the nearest distance.
    const end = Math.min(i + best, n - 2);
    for (let k = best <= 32 ? i + 1 : Math.max(i + 1, end - 3); k < end; k++) {
      const h = hash(k);
      prev[k & (WINDOW - 1)] = head[h];
      head[h] = k;
    }
    i += best;
  }
  put(lc[256], ll[256]);
  if (bitcnt > 0) put(0, 8 - bitcnt);
  if (o + 4 > stored) return storedStream(bytes);
  if (o + 4 > out.length) {
    const grown = new Uint8Array(o + 4);
    grown.set(out.subarray(0, o));
    out = grown;
  }
  writeAdler(out, o, bytes);
  return out.subarray(0, o + 4);
}

/** A zlib stream of stored (uncompressed) blocks of at most 65535 bytes. */
function storedStream(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const blocks = Math.max(1, Math.ceil(n / 65535));
  const out = new Uint8Array(2 + 5 * blocks + n + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, n - start);
    out[o] = b === blocks - 1 ? 1 : 0;
    out[o + 1] = len & 0xff;
    out[o + 2] = len >> 8;
    out[o + 3] = ~len & 0xff;
    out[o + 4] = (~len >> 8) & 0xff;
    out.set(bytes.subarray(start, start + len), o + 5);
    o += 5 + len;
  }
  writeAdler(out, o, bytes);
  return out;
}

function writeAdler(out: Uint8Array, o: number, bytes: Uint8Array): void {
  const a = adler32(bytes);
  out[o] = a >>> 24;
  out[o + 1] = (a >>> 16) & 0xff;
  out[o + 2] = (a >>> 8) & 0xff;
  out[o + 3] = a & 0xff;
}
