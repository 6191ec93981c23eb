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
