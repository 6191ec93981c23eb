import { FormatError } from "./format-error.ts";

/** PNG row filter types: None, Sub, Up, Average, Paeth. */
export type PngFilter = 0 | 1 | 2 | 3 | 4;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Reverses the filters of `rows` scanlines of `rowBytes` bytes (each led by its filter byte) that
 * start at `offset` in `buf`, in place; `bpp` is the bytes per complete pixel (at least 1). The first
 * row reads zeros above it and the first `bpp` bytes of a row zeros to their left, so each filter's loop
 * is split where those neighbours start to exist (no per-byte branch).
 */
export function unfilterRows(buf: Uint8Array, offset: number, rows: number, rowBytes: number, bpp: number): void {
  const stride = rowBytes + 1;
  const first = Math.min(bpp, rowBytes);
  for (let y = 0; y < rows; y++) {
    const start = offset + y * stride;
    const type = buf[start];
    const cur = start + 1;
    const end = cur + rowBytes;
    const prev = cur - stride; // only read when y > 0
    if (type === 0) continue;
    if (type === 1 || (y === 0 && type === 4)) {
      // Paeth with nothing above predicts the left byte: Sub.
      for (let i = cur + bpp; i < end; i++) buf[i] = (buf[i] + buf[i - bpp]) & 0xff;
    } else if (type === 2) {
      if (y > 0) for (let i = cur, j = prev; i < end; i++, j++) buf[i] = (buf[i] + buf[j]) & 0xff;
    } else if (type === 3) {
      if (y === 0) {
        for (let i = cur + bpp; i < end; i++) buf[i] = (buf[i] + (buf[i - bpp] >> 1)) & 0xff;
      } else {
        for (let i = 0; i < first; i++) buf[cur + i] = (buf[cur + i] + (buf[prev + i] >> 1)) & 0xff;
        for (let i = cur + bpp, j = prev + bpp; i < end; i++, j++) {
          buf[i] = (buf[i] + ((buf[i - bpp] + buf[j]) >> 1)) & 0xff;
        }
      }
    } else if (type === 4) {
      // Paeth with nothing to the left predicts the byte above: Up.
      for (let i = 0; i < first; i++) buf[cur + i] = (buf[cur + i] + buf[prev + i]) & 0xff;
      for (let i = cur + bpp, j = prev + bpp; i < end; i++, j++) {
        const a = buf[i - bpp];
        const b = buf[j];
        const c = buf[j - bpp];
        const pa = b > c ? b - c : c - b; // |p - a| with p = a + b - c
        const pb = a > c ? a - c : c - a; // |p - b|
        const pc = a + b > 2 * c ? a + b - 2 * c : 2 * c - a - b; // |p - c|
        buf[i] = (buf[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
    } else {
      throw new FormatError("decodePng", `unknown row filter type ${type} at scanline ${y}`);
    }
  }
}

/**
 * Filters one raw scanline `cur` (previous raw scanline `prev`, or undefined for the first) with
 * `type` into `out` (rowBytes + 1 bytes, filter byte first).
 */
export function filterRow(
  cur: Uint8Array,
  prev: Uint8Array | undefined,
  bpp: number,
  type: PngFilter,
  out: Uint8Array,
): void {
  out[0] = type;
  const n = cur.length;
  for (let i = 0; i < n; i++) {
    const a = i >= bpp ? cur[i - bpp] : 0;
    const b = prev ? prev[i] : 0;
    const c = prev && i >= bpp ? prev[i - bpp] : 0;
    const pred = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
    out[i + 1] = (cur[i] - pred) & 0xff;
  }
}

/** Sum of the filtered bytes read as signed values: the usual "minimum sum" filter heuristic. */
export function filterCost(row: Uint8Array): number {
  let s = 0;
  for (let i = 1; i < row.length; i++) s += row[i] < 128 ? row[i] : 256 - row[i];
  return s;
}
