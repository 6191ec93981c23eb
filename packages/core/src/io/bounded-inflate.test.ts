import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { deflateSync, gzipSync, zlibSync } from "fflate";
import { adler32 } from "./adler32.ts";
import { boundedInflate } from "./bounded-inflate.ts";
import { concatBytes } from "./concat-bytes.ts";
import { FormatError } from "./format-error.ts";
import { huffmanTable } from "./huffman-table.ts";

const inflateAll = (z: Uint8Array, maxBytes = 1 << 20) =>
  boundedInflate(z, "zlib", { fn: "t", what: "data", maxBytes });

/** A zlib or gzip stream written by the platform's CompressionStream: an encoder independent of fflate. */
async function platformDeflate(data: Uint8Array, format: "deflate" | "gzip"): Promise<Uint8Array> {
  const body = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(body).arrayBuffer());
}

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
  .map(concatBytes);

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

describe("boundedInflate", () => {
  it("inflates the platform's zlib streams and fflate's at every level (stored, fixed, dynamic blocks)", async () => {
    await fc.assert(
      fc.asyncProperty(mixed, fc.integer({ min: 0, max: 9 }), async (data, level) => {
        assert.deepEqual(inflateAll(await platformDeflate(data, "deflate")), data);
        assert.deepEqual(inflateAll(zlibSync(data, { level: level as 0 })), data);
      }),
      { numRuns: 60 },
    );
  });

  it("inflates gzip and checks its CRC-32 and size, or returns just a prefix", async () => {
    const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 255);
    const gz = await platformDeflate(data, "gzip");
    const opts = { fn: "t", what: "gzip data", maxBytes: 1 << 20 };
    assert.deepEqual(boundedInflate(gz, "gzip", opts), data);
    assert.deepEqual(boundedInflate(gzipSync(data, { mtime: 0 }), "gzip", opts), data);
    const flipped = gz.slice();
    flipped[flipped.length - 6] ^= 1;
    assert.throws(() => boundedInflate(flipped, "gzip", opts), /CRC-32 or size mismatch/);
    // A prefix stops early: the corrupt trailer is never reached.
    assert.deepEqual(boundedInflate(flipped, "gzip", { ...opts, maxBytes: 348, prefix: true }), data.subarray(0, 348));
    // A stream shorter than the prefix gives what it has.
    assert.deepEqual(boundedInflate(gz, "gzip", { ...opts, maxBytes: 200_000, prefix: true }), data);
  });

  it("inflates raw deflate (a deflated DICOM data set) from a small first buffer up to maxBytes", () => {
    const data = Uint8Array.from({ length: 300_000 }, (_, i) => ((i * 7919) % 251) ^ (i >> 9));
    const raw = deflateSync(data, { level: 6 });
    const opts = { fn: "f", what: "raw data", maxBytes: 1 << 20 };
    assert.deepEqual(boundedInflate(raw, "raw", { ...opts, initialBytes: 16 }), data);
    assert.deepEqual(boundedInflate(raw, "raw", opts), data);
    assert.throws(() => boundedInflate(raw, "raw", { ...opts, maxBytes: 299_999, initialBytes: 16 }), FormatError);
    assert.throws(() => boundedInflate(raw.subarray(0, raw.length >> 1), "raw", opts), FormatError);
  });

  it("throws FormatError on defects and past maxBytes", () => {
    const z = zlibSync(new Uint8Array(5000).fill(3));
    const bad = (bytes: Uint8Array, pattern: RegExp, max?: number) =>
      assert.throws(
        () => inflateAll(bytes, max),
        (e: unknown) => e instanceof FormatError && e.code === "ERR_FORMAT" && pattern.test(e.message),
        String(pattern),
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
    bad(new Uint8Array(0), /zlib header/);
    const gz = (b: Uint8Array) => boundedInflate(b, "gzip", { fn: "t", what: "data", maxBytes: 1 << 20 });
    assert.throws(() => gz(Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3])), /bad gzip header/);
    assert.throws(() => gz(gzipSync(new Uint8Array(10)).subarray(0, 20)), /truncated/);
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

describe("boundedInflate work bounds", () => {
  it("refuses a stream of empty dynamic blocks by the table work, not after rebuilding them all", () => {
    const w = new BitWriter();
    for (let b = 0; b < 3000; b++) emptyDynamicBlock(w, false);
    emptyDynamicBlock(w, true);
    const z = w.end(new Uint8Array(0));
    assert.ok(z.length > 400_000);
    assert.throws(
      () => inflateAll(z, 1 << 16),
      (e: unknown) => e instanceof FormatError && /Huffman tables exceed the work bound/.test(e.message),
    );
    // The same blocks, few enough for the output size, still inflate.
    const ok = new BitWriter();
    for (let b = 0; b < 3; b++) emptyDynamicBlock(ok, false);
    ok.bits(1, 1)
      .bits(1, 2)
      .code(0b00110000 + 7, 8)
      .code(0, 7); // a final fixed block: literal 7, end of block
    assert.deepEqual(inflateAll(ok.end(Uint8Array.of(7)), 16), Uint8Array.of(7));
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
        () => inflateAll(w.end(new Uint8Array(0)), 2),
        (e: unknown) => e instanceof FormatError && /more than 64 blocks/.test(e.message),
        kind,
      );
    }
  });
  it("lets incompressible data through: stored blocks and 9-bit fixed codes stay inside the bounds", () => {
    let s = 7;
    const noise = Uint8Array.from({ length: 300_000 }, () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24);
    assert.deepEqual(inflateAll(zlibSync(noise, { level: 0 })), noise);
    assert.deepEqual(inflateAll(zlibSync(noise, { level: 1 })), noise);
    const high = noise.map((v) => v | 0x90); // literals >= 144: 9 bits each with the fixed code
    const fixed = new BitWriter();
    fixed.bits(1, 1).bits(1, 2);
    for (const v of high) fixed.code(0b110010000 + (v - 144), 9);
    fixed.code(0, 7);
    assert.deepEqual(inflateAll(fixed.end(high)), high);
  });
});
