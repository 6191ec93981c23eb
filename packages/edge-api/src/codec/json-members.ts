/** The top-level members of a JSON body as {@link scanJsonMembers} reads them. */
export interface JsonMembers {
  /** Every member but the big string, parsed. */
  readonly small: Record<string, unknown>;
  /** Byte offsets of the big string's characters (between its quotes). */
  readonly big?: { readonly start: number; readonly end: number };
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Longest small member value read (the others are a shape, a dtype, a spacing: a few dozen bytes). */
const SMALL_BYTES = 4096;

/**
 * Reads a JSON object's top-level members without parsing all of it: the member named `bigKey` must be a plain
 * string (no escapes) and is only located — a native search for its closing quote, however long it is — and
 * the others, each at most 4 KiB, are parsed one by one. Undefined for anything else (not an object, escapes in a
 * key or in the big string, a repeated key, a long or unbalanced value, trailing bytes): the caller then parses
 * the whole body as before, errors included. What it accepts, JSON.parse reads the same way.
 */
export function scanJsonMembers(bytes: Uint8Array, bigKey: string): JsonMembers | undefined {
  let pos = 0;
  const n = bytes.length;
  const skip = () => {
    while (pos < n && WS.has(bytes[pos])) pos++;
  };
  const small: Record<string, unknown> = {};
  let big: { start: number; end: number } | undefined;
  skip();
  if (bytes[pos++] !== 0x7b) return undefined; // {
  skip();
  if (bytes[pos] === 0x7d) return tail(pos + 1) ? { small } : undefined;
  for (;;) {
    skip();
    if (bytes[pos] !== QUOTE) return undefined;
    const keyEnd = bytes.indexOf(QUOTE, pos + 1);
    if (keyEnd < 0 || keyEnd - pos > 64) return undefined;
    const keyBytes = bytes.subarray(pos + 1, keyEnd);
    if (keyBytes.includes(BACKSLASH) || keyBytes.some((b) => b < 0x20 || b > 0x7e)) return undefined;
    const key = String.fromCharCode(...keyBytes);
    if (Object.hasOwn(small, key) || (key === bigKey && big)) return undefined;
    pos = keyEnd + 1;
    skip();
    if (bytes[pos++] !== 0x3a) return undefined; // :
    skip();
    if (key === bigKey) {
      if (bytes[pos] !== QUOTE) return undefined;
      const end = quoteOrBackslash(bytes, pos + 1);
      if (end < 0 || bytes[end] !== QUOTE) return undefined; // unterminated, or an escape
      big = { start: pos + 1, end };
      pos = end + 1;
    } else {
      const end = smallValueEnd(bytes, pos);
      if (end === undefined) return undefined;
      try {
        small[key] = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(pos, end)));
      } catch {
        return undefined;
      }
      pos = end;
    }
    skip();
    const c = bytes[pos++];
    if (c === 0x2c) continue; // ,
    if (c === 0x7d) return tail(pos) ? { small, big } : undefined; // }
    return undefined;
  }

  function tail(from: number): boolean {
    for (let i = from; i < n; i++) if (!WS.has(bytes[i])) return false;
    return true;
  }
}

const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
const LOWS = 0x01010101;
const HIGHS = 0x80808080 | 0;

/** A 32-bit word holds a zero byte (the classic bit trick: no false negatives, and exact for the first one). */
const zeroByte = (x: number) => (((x - LOWS) | 0) & ~x & HIGHS) !== 0;

/**
 * The first `"` or `\` at or after `from`, or -1: four bytes a step (a typed array's own indexOf is a byte
 * loop, ~1 ns a byte; this is several times faster, and finds both in one pass).
 */
function quoteOrBackslash(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  let i = from;
  while (i < n && (bytes.byteOffset + i) % 4 !== 0) {
    if (bytes[i] === QUOTE || bytes[i] === BACKSLASH) return i;
    i++;
  }
  if (i >= n) return -1;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, (n - i) >>> 2); // int32: no doubles
  let w = 0;
  for (; w < words.length; w++) {
    const x = words[w];
    if (zeroByte(x ^ QUOTES) || zeroByte(x ^ BACKSLASHES)) break;
  }
  for (i += 4 * w; i < n; i++) if (bytes[i] === QUOTE || bytes[i] === BACKSLASH) return i;
  return -1;
}

/** Where a value that starts at `pos` ends (the `,` or `}` after it at depth 0), within 4 KiB. */
function smallValueEnd(bytes: Uint8Array, pos: number): number | undefined {
  let depth = 0;
  const stop = Math.min(bytes.length, pos + SMALL_BYTES);
  for (let i = pos; i < stop; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      for (i++; i < stop && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
      if (i >= stop) return undefined;
    } else if (b === 0x5b || b === 0x7b) depth++;
    else if (b === 0x5d || b === 0x7d) {
      if (depth === 0) return b === 0x7d ? i : undefined;
      depth--;
    } else if (b === 0x2c && depth === 0) return i;
  }
  return undefined;
}
