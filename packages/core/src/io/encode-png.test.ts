import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodePng } from "./decode-png.ts";
import { type DeflateLevel, encodePng } from "./encode-png.ts";
import type { PngFilter } from "./png-filter.ts";
import type { PngBitDepth } from "./png-types.ts";

const MODES: ReadonlyArray<[channels: 1 | 2 | 3 | 4, depths: PngBitDepth[]]> = [
  [1, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [8, 16]],
  [4, [8, 16]],
];

describe("encodePng", () => {
  it("writes the expected IHDR and chunk order (hand table)", async () => {
    const bytes = encodePng({
      data: Uint8Array.from([1, 2, 3, 4]),
      width: 2,
      height: 2,
      channels: 1,
      bitDepth: 8,
    });
    assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.deepEqual([...bytes.subarray(8, 16)], [0, 0, 0, 13, 73, 72, 68, 82]); // length 13, "IHDR"
    assert.deepEqual([...bytes.subarray(16, 29)], [0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
    assert.deepEqual([...bytes.subarray(bytes.length - 12)], [0, 0, 0, 0, 73, 69, 78, 68, 0xae, 0x42, 0x60, 0x82]);
  });

  for (const [channels, depths] of MODES) {
    for (const bitDepth of depths) {
      it(`round-trips ${channels} channel(s) at ${bitDepth} bits, every filter and interlace`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 19 }),
            fc.integer({ min: 1, max: 11 }),
            fc.constantFrom<PngFilter | "adaptive">(0, 1, 2, 3, 4, "adaptive"),
            fc.boolean(),
            fc.integer(),
            fc.constantFrom<DeflateLevel>(0, 1, 6, 9),
            async (width, height, filter, interlace, seed, level) => {
              const n = width * height * channels;
              const max = 2 ** bitDepth;
              const data = (bitDepth === 16 ? new Uint16Array(n) : new Uint8Array(n)).map(
                (_, i) => Math.abs(Math.imul(i + 1, seed | 1) ^ (seed >>> 7)) % max,
              );
              const bytes = encodePng({ data, width, height, channels, bitDepth }, { filter, interlace, level });
              const img = decodePng(bytes);
              assert.deepEqual(
                [img.width, img.height, img.channels, img.bitDepth],
                [width, height, channels, bitDepth],
              );
              assert.equal(img.interlaced, interlace);
              assert.deepEqual([...img.data], [...data]);
            },
          ),
          { numRuns: 25 },
        );
      });
    }
  }

  it("round-trips a palette image with alpha (expanded on decode)", async () => {
    const palette = Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const alpha = Uint8Array.from([0, 100]);
    const data = Uint8Array.from([0, 1, 2, 3, 4, 4, 3, 2, 1, 0]);
    for (const bitDepth of [4, 8] as const) {
      const img = decodePng(
        encodePng({ data, width: 5, height: 2, channels: 1, bitDepth, palette, paletteAlpha: alpha }),
      );
      assert.deepEqual([img.channels, img.bitDepth, img.colorType, img.fileBitDepth], [4, 8, 3, bitDepth]);
      const want = [...data].flatMap((k) => [...palette.subarray(3 * k, 3 * k + 3), k < 2 ? alpha[k] : 255]);
      assert.deepEqual([...img.data], want);
    }
  });

  it("writes a small label map that the platform's DecompressionStream reads back", async () => {
    const data = Uint8Array.from({ length: 64 * 48 }, (_, i) =>
      Math.hypot((i >> 6) - 24, (i & 63) - 30) < 12 ? 2 : 0,
    );
    const bytes = encodePng({ data, width: 64, height: 48, channels: 1, bitDepth: 8 }, { filter: 0, level: 1 });
    assert.ok(bytes.length < 400, `${bytes.length} bytes`);
    assert.deepEqual([...decodePng(bytes).data], [...data]);
    const idat = bytes.subarray(8 + 25 + 8, bytes.length - 12 - 4);
    const body = new Blob([idat as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate"));
    const raw = new Uint8Array(await new Response(body).arrayBuffer());
    assert.equal(raw.length, 48 * 65);
  });

  it("does not mutate its input", async () => {
    const data = Uint8Array.from([5, 6, 7, 8, 9, 10]);
    encodePng({ data, width: 3, height: 2, channels: 1, bitDepth: 8 }, { filter: 4 });
    assert.deepEqual([...data], [5, 6, 7, 8, 9, 10]);
  });

  it("rejects bad input with coded errors", async () => {
    const base = { data: new Uint8Array(4), width: 2, height: 2, channels: 1 as const, bitDepth: 8 as const };
    assert.throws(() => encodePng({ ...base, width: 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => encodePng({ ...base, channels: 5 as 1 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => encodePng({ ...base, channels: 3, bitDepth: 4 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => encodePng({ ...base, data: new Uint8Array(3) }), { code: "ERR_SHAPE" });
    assert.throws(() => encodePng({ ...base, bitDepth: 1, data: Uint8Array.from([0, 1, 2, 0]) }), {
      code: "ERR_ARGUMENT",
    });
    assert.throws(() => encodePng({ ...base, palette: Uint8Array.from([1, 2]) }), { code: "ERR_SHAPE" });
    assert.throws(() => encodePng(base, { filter: 9 as 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => encodePng(base, { level: 10 as 9 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => encodePng(base, { level: 1.5 as 1 }), { code: "ERR_ARGUMENT" });
  });
});
