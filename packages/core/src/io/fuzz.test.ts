import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { crc32 } from "./crc32.ts";
import { decodeNifti } from "./decode-nifti.ts";
import { decodePng } from "./decode-png.ts";
import { encodeNifti } from "./encode-nifti.ts";
import { encodePng } from "./encode-png.ts";
import { FormatError } from "./format-error.ts";

/** Returns, or throws a FormatError: any other outcome fails the property. */
function decodesOrFormatError(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected FormatError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.equal(e.code, "ERR_FORMAT");
  }
}

/** Recomputes every chunk CRC so a flipped bit reaches the chunk parser and the inflater. */
function fixCrcs(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  let pos = 8;
  while (pos + 12 <= out.length) {
    const len = v.getUint32(pos);
    if (pos + 12 + len > out.length) break;
    v.setUint32(pos + 8 + len, crc32(out, pos + 4, pos + 8 + len));
    pos += 12 + len;
  }
  return out;
}

const flips = fc.array(fc.nat(), { minLength: 1, maxLength: 4 });

const image = Uint8Array.from({ length: 9 * 7 * 3 }, (_, i) => (i * 37) % 256);
const pngs = () => [
  encodePng({ data: image, width: 9, height: 7, channels: 3, bitDepth: 8 }),
  encodePng({ data: image.map((x) => x & 3), width: 21, height: 9, channels: 1, bitDepth: 2 }, { interlace: true }),
];
const vol = Int16Array.from({ length: 4 * 3 * 5 }, (_, i) => i * 11 - 200);
const niftis = () => [
  encodeNifti({ data: vol, shape: [4, 3, 5] }),
  encodeNifti({ data: vol, shape: [4, 3, 5], gzip: true }),
];

describe("codecs on hostile bytes", () => {
  it("decodePng: random bytes (with and without a signature)", async () => {
    const validPngs = pngs();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (b, sig) => {
        const bytes = sig ? Uint8Array.from([...validPngs[0].subarray(0, 8), ...b]) : b;
        decodesOrFormatError(() => decodePng(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it("decodePng: truncations and bit flips of valid files (CRCs fixed or not)", async () => {
    const validPngs = pngs();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1), flips, fc.nat(), fc.boolean(), async (k, at, cut, fix) => {
        const b = validPngs[k].slice();
        for (const p of at) b[p % b.length] ^= 1 << (p % 8);
        const flipped = fix ? fixCrcs(b) : b;
        decodesOrFormatError(() => decodePng(flipped));
        decodesOrFormatError(() => decodePng(validPngs[k].subarray(0, cut % validPngs[k].length)));
      }),
      { numRuns: 200 },
    );
  });

  it("decodeNifti: random bytes, truncations and bit flips", async () => {
    const validNiftis = niftis();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom(0, 1),
        flips,
        fc.nat(),
        async (r, k, at, cut) => {
          decodesOrFormatError(() => decodeNifti(r));
          const b = validNiftis[k].slice();
          for (const p of at) b[p % b.length] ^= 1 << (p % 8);
          decodesOrFormatError(() => decodeNifti(b));
          decodesOrFormatError(() => decodeNifti(validNiftis[k].subarray(0, cut % validNiftis[k].length)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("decodeNifti: flips confined to the header of a plain file", async () => {
    const validNiftis = niftis();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 351 * 8 }), { minLength: 1, maxLength: 3 }), async (bits) => {
        const b = validNiftis[0].slice();
        for (const bit of bits) b[bit >> 3] ^= 1 << (bit & 7);
        decodesOrFormatError(() => decodeNifti(b));
      }),
      { numRuns: 300 },
    );
  });
});
