/** A canonical Huffman decoding table: `table[next mask bits, LSB first]` = symbol << 4 | code length (0: none). */
export interface HuffmanTable {
  readonly table: Uint32Array;
  readonly bits: number;
  readonly mask: number;
}

/**
 * Builds the decoding table of code `lengths` (RFC 1951 3.2.2: codes of each length count up from the
 * last code of the length before, shifted left one). Deflate sends codes MSB first into an LSB-first bit
 * stream, so each code is bit-reversed and fills every table slot whose low bits it matches. Throws
 * `bad("...")` for an over-subscribed set; incomplete sets are allowed (their gaps decode as invalid).
 */
export function huffmanTable(lengths: Uint8Array, bad: (why: string) => Error = (w) => new Error(w)): HuffmanTable {
  const count = new Uint16Array(16);
  let bits = 0;
  for (const l of lengths) {
    count[l]++;
    if (l > bits) bits = l;
  }
  count[0] = 0;
  let left = 1;
  const next = new Uint16Array(16);
  for (let l = 1, code = 0; l <= 15; l++) {
    left = (left << 1) - count[l];
    if (left < 0) throw bad("over-subscribed Huffman code");
    code = (code + count[l - 1]) << 1;
    next[l] = code;
  }
  const size = 1 << bits;
  const table = new Uint32Array(size);
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s];
    if (l === 0) continue;
    let c = next[l]++;
    let r = 0;
    for (let k = 0; k < l; k++, c >>= 1) r = (r << 1) | (c & 1);
    const e = (s << 4) | l;
    for (let i = r; i < size; i += 1 << l) table[i] = e;
  }
  return { table, bits, mask: size - 1 };
}
