import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { adler32 } from "./adler32.ts";
import { deflateInline } from "./deflate-inline.ts";
import { FormatError } from "./format-error.ts";
import { huffmanTable } from "./huffman-table.ts";
import { inflateInline } from "./inflate-inline.ts";
import { deflate, inflate } from "./zlib.ts";

const inflateAll = (z: Uint8Array, max = 1 << 20) => inflateInline(z, "t", "data", max);

/** Bytes with runs, repeats and noise: exercises literals, short and long matches, far distances. */
const mixed = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 2000 }))
        .map(([v, n]) => new Uint8Array(n).fill(v)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  });

describe("adler32", () => {
  it("matches the RFC 1950 examples (hand table)", () => {
    assert.equal(adler32(new Uint8Array(0)), 1);
    assert.equal(adler32(new TextEncoder().encode("Wikipedia")), 0x11e60398);
  });

  it("equals the definition with a modulo at every byte (property, past the 5552-byte blocks)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20000 }), fc.integer({ min: 0, max: 255 }), (data, fill) => {
        data.fill(fill, 0, data.length >> 1);
        let a = 1;
        let b = 0;
        for (const x of data) {
          a = (a + x) % 65521;
          b = (b + a) % 65521;
        }
        assert.equal(adler32(data), ((b << 16) | a) >>> 0);
      }),
      { numRuns: 30 },
    );
  });
});

describe("huffmanTable", () => {
  it("builds the RFC 1951 3.2.2 example code (A..H lengths 3,3,3,3,3,2,4,4)", () => {
    const t = huffmanTable(Uint8Array.from([3, 3, 3, 3, 3, 2, 4, 4]));
    // F = 00, A = 010, H = 1111: read LSB first, the codes are bit-reversed in the table index.
    assert.equal(t.bits, 4);
    assert.deepEqual([t.table[0b00] >> 4, t.table[0b00] & 15], [5, 2]);
    assert.deepEqual([t.table[0b010] >> 4, t.table[0b010] & 15], [0, 3]);
    assert.deepEqual([t.table[0b1111] >> 4, t.table[0b1111] & 15], [7, 4]);
  });

  it("refuses an over-subscribed code", () => {
    assert.throws(() => huffmanTable(Uint8Array.from([1, 1, 1])), /over-subscribed/);
  });
});

describe("inflateInline / deflateInline", () => {
  it("inflates zlib's own streams (stored, fixed, dynamic blocks) like DecompressionStream", async () => {
    await fc.assert(
      fc.asyncProperty(mixed, async (data) => {
        const z = await deflate(data, "deflate");
        assert.deepEqual(inflateAll(z), data);
      }),
      { numRuns: 60 },
    );
  });

  it("writes streams that zlib and inflateInline read back", async () => {
    await fc.assert(
      fc.asyncProperty(mixed, async (data) => {
        const z = deflateInline(data);
        assert.deepEqual(inflateAll(z), data);
        assert.deepEqual(await inflate(z, "deflate", "t", "data", 1 << 20), data);
      }),
      { numRuns: 60 },
    );
  });

  it("compresses runs and falls back to stored blocks for noise (hand table)", () => {
    assert.ok(deflateInline(new Uint8Array(65536)).length < 450); // 254 matches of 258 at 13 bits
    let s = 7;
    const noise = Uint8Array.from({ length: 70000 }, () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24);
    const z = deflateInline(noise);
    assert.equal(z.length, 2 + 5 * 2 + 70000 + 4);
    assert.deepEqual(inflateAll(z), noise);
  });

  it("throws FormatError on defects and past maxBytes", async () => {
    const z = await deflate(new Uint8Array(5000).fill(3), "deflate");
    const bad = (bytes: Uint8Array, pattern: RegExp, max?: number) =>
      assert.throws(
        () => inflateAll(bytes, max),
        (e: unknown) => e instanceof FormatError && e.code === "ERR_FORMAT" && pattern.test(e.message),
      );
    bad(Uint8Array.from([0x78]), /zlib header/);
    bad(Uint8Array.from([0x78, 0x02, 0, 0]), /zlib header/);
    bad(z.subarray(0, z.length - 6), /truncated/);
    bad(z, /more than 100 bytes/, 100);
    const flipped = z.slice();
    flipped[flipped.length - 1] ^= 1;
    bad(flipped, /Adler-32/);
    bad(Uint8Array.from([0x78, 0x01, 0b111]), /block type 3/);
    // A fixed block whose first code is a distance before any output.
    bad(Uint8Array.from([0x78, 0x01, 0x03, 0x02, 0x00, 0x00]), /distance too far back|invalid/);
  });
});

/** Writes a zlib stream bit by bit (LSB first; Huffman codes MSB first): hostile streams no encoder makes. */
class BitWriter {
  readonly bytes: number[] = [0x78, 0x01];
  #acc = 0;
  #n = 0;
  bits(value: number, n: number): this {
    for (let k = 0; k < n; k++) this.#push((value >> k) & 1);
    return this;
  }
  code(value: number, n: number): this {
    for (let k = n - 1; k >= 0; k--) this.#push((value >> k) & 1);
    return this;
  }
  #push(bit: number): void {
    this.#acc |= bit << this.#n;
    if (++this.#n === 8) {
      this.bytes.push(this.#acc);
      this.#acc = 0;
      this.#n = 0;
    }
  }
  /** Pads to a byte, appends the Adler-32 of `data`. */
  end(data: Uint8Array): Uint8Array {
    if (this.#n > 0) this.bytes.push(this.#acc);
    const a = adler32(data);
    return Uint8Array.from([...this.bytes, a >>> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255]);
  }
}

/**
 * An empty dynamic block whose literal code is complete with lengths 1..15 (a 2^15-entry table to build):
 * 256 = 1 bit, literals 0..13 = 2..15 bits, literal 14 = 15 bits; code-length codes all 5 bits, no repeats.
 */
function emptyDynamicBlock(w: BitWriter, final: boolean): void {
  w.bits(final ? 1 : 0, 1).bits(2, 2);
  w.bits(0, 5).bits(0, 5).bits(15, 4); // 257 literal/length codes, 1 distance code, 19 code-length codes
  for (let i = 0; i < 19; i++) w.bits(5, 3);
  const lengths = new Array<number>(258).fill(0);
  for (let s = 0; s < 14; s++) lengths[s] = s + 2;
  lengths[14] = 15;
  lengths[256] = 1;
  lengths[257] = 1; // the one distance code
  for (const l of lengths) w.code(l, 5); // code-length symbol l has canonical code l
  w.code(0, 1); // end of block: symbol 256, the only 1-bit code
}

describe("inflateInline work bounds", () => {
  it("refuses a stream of empty dynamic blocks by the table work, not after rebuilding them all", () => {
    const w = new BitWriter();
    for (let b = 0; b < 3000; b++) emptyDynamicBlock(w, false);
    emptyDynamicBlock(w, true);
    const z = w.end(new Uint8Array(0));
    assert.ok(z.length > 400_000);
    assert.throws(
      () => inflateInline(z, "t", "data", 1 << 16),
      (e: unknown) => e instanceof FormatError && /Huffman tables exceed the work bound/.test(e.message),
    );
    // The same blocks, few enough for the output size, still inflate.
    const ok = new BitWriter();
    for (let b = 0; b < 3; b++) emptyDynamicBlock(ok, false);
    ok.bits(1, 1)
      .bits(1, 2)
      .code(0b00110000 + 7, 8)
      .code(0, 7); // a final fixed block: literal 7, end of block
    assert.deepEqual(inflateInline(ok.end(Uint8Array.of(7)), "t", "data", 16), Uint8Array.of(7));
  });

  it("refuses more empty stored or fixed blocks than the output can need", () => {
    for (const kind of ["stored", "fixed"] as const) {
      const w = new BitWriter();
      for (let b = 0; b < 20_000; b++) {
        if (kind === "fixed") w.bits(0, 1).bits(1, 2).code(0, 7);
        else w.bits(0, 1).bits(0, 2).bits(0, 5).bits(0, 16).bits(0xffff, 16);
      }
      w.bits(1, 1).bits(1, 2).code(0, 7);
      assert.throws(
        () => inflateInline(w.end(new Uint8Array(0)), "t", "data", 2),
        (e: unknown) => e instanceof FormatError && /more than 64 blocks/.test(e.message),
        kind,
      );
    }
  });
});
