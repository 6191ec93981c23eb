import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { concatBytes } from "./concat-bytes.ts";
import { crc32 } from "./crc32.ts";
import { decodePng } from "./decode-png.ts";
import { MAX_PNG_CHUNKS } from "./png-chunks.ts";
import { readPngInfo } from "./png-info.ts";

// Hand-built PNG files: chunks assembled byte by byte, image data in stored (uncompressed) deflate blocks.
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
function chunk(type: string, data: number[]): number[] {
  const body = Uint8Array.from([...Array.from(type, (c) => c.charCodeAt(0)), ...data]);
  return [...be32(data.length), ...body, ...be32(crc32(body))];
}
function zlibStored(data: number[]): number[] {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  const n = data.length;
  return [0x78, 0x01, 0x01, n & 255, n >> 8, ~n & 255, (~n >> 8) & 255, ...data, ...be32(((b << 16) | a) >>> 0)];
}
function png(w: number, h: number, depth: number, color: number, rows: number[], extra: number[][] = []): Uint8Array {
  const ihdr = [...be32(w), ...be32(h), depth, color, 0, 0, 0];
  return Uint8Array.from([
    ...[137, 80, 78, 71, 13, 10, 26, 10],
    ...chunk("IHDR", ihdr),
    ...extra.flat(),
    ...chunk("IDAT", zlibStored(rows)),
    ...chunk("IEND", []),
  ]);
}
function throwsFormat(decode: () => unknown, pattern: RegExp): void {
  assert.throws(decode, (e: Error & { code?: string }) => {
    assert.equal(e.code, "ERR_FORMAT");
    assert.match(e.message, pattern);
    return true;
  });
}

describe("decodePng", () => {
  it("decodes a hand-built 2x2 8-bit gray file", async () => {
    const img = decodePng(png(2, 2, 8, 0, [0, 10, 20, 0, 30, 40]));
    assert.deepEqual([img.width, img.height, img.channels, img.bitDepth, img.colorType], [2, 2, 1, 8, 0]);
    assert.deepEqual([...img.data], [10, 20, 30, 40]);
  });

  it("reverses all five filters (hand table)", async () => {
    // Gray 8-bit, 3 wide (bpp 1). Row 0 Sub: 5, +1, +1. Row 1 Up: +1 each. Row 2 Average: a=left,
    // b=up: [7 + (0+6)>>1, 1 + (10+7)>>1, 2 + (9+8)>>1]. Row 3 Paeth. Row 4 None.
    const rows = [1, 5, 1, 1, 2, 1, 1, 1, 3, 7, 1, 2, 4, 1, 1, 1, 0, 9, 8, 7];
    const img = decodePng(png(3, 5, 8, 0, rows));
    // Paeth row 3 (up = 10, 9, 10): x0: a=0,b=10,c=0 → b → 11; x1: a=11,b=9,c=10 → p=10 → |p-a|=1,|p-b|=1,
    // |p-c|=0 → c=10 → 11; x2: a=11,b=10,c=9 → p=12 → a wins → 12.
    assert.deepEqual([...img.data], [5, 6, 7, 6, 7, 8, 10, 9, 10, 11, 11, 12, 9, 8, 7]);
  });

  it("unpacks 1-bit, 4-bit and 16-bit samples", async () => {
    const one = decodePng(png(10, 1, 1, 0, [0, 0b10110000, 0b01000000]));
    assert.deepEqual([...one.data], [1, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
    const four = decodePng(png(3, 1, 4, 0, [0, 0x1f, 0xa0]));
    assert.deepEqual([...four.data], [1, 15, 10]);
    const sixteen = decodePng(png(2, 1, 16, 4, [0, 0x12, 0x34, 0xff, 0xff, 0x00, 0x01, 0x80, 0x00]));
    assert.ok(sixteen.data instanceof Uint16Array);
    assert.deepEqual([...sixteen.data], [0x1234, 0xffff, 1, 0x8000]);
    assert.equal(sixteen.channels, 2);
  });

  it("expands a palette, with tRNS alpha", async () => {
    const plte = chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255]);
    const rgb = decodePng(png(3, 1, 2, 3, [0, 0b00011000], [plte]));
    assert.deepEqual([rgb.channels, rgb.bitDepth, rgb.fileBitDepth], [3, 8, 2]);
    assert.deepEqual([...rgb.data], [255, 0, 0, 0, 255, 0, 0, 0, 255]);
    const rgba = decodePng(png(2, 1, 8, 3, [0, 1, 0], [plte, chunk("tRNS", [7])]));
    assert.deepEqual([...rgba.data], [0, 255, 0, 255, 255, 0, 0, 7]);
  });

  it("reports a gray tRNS color without applying it, and skips ancillary chunks", async () => {
    const img = decodePng(png(1, 1, 8, 0, [0, 9], [chunk("tRNS", [0, 9]), chunk("tEXt", [65, 0, 66])]));
    assert.deepEqual(img.transparentColor, [9]);
    assert.deepEqual([...img.data], [9]);
  });

  it("decodes a hand-built Adam7 file", async () => {
    // 2x2 gray: pass 1 holds (0,0); passes 2-5 are empty; pass 6 holds (1,0); pass 7 holds row 1.
    const img = decodePng(
      Uint8Array.from([
        ...[137, 80, 78, 71, 13, 10, 26, 10],
        ...chunk("IHDR", [...be32(2), ...be32(2), 8, 0, 0, 0, 1]),
        ...chunk("IDAT", zlibStored([0, 1, 0, 2, 0, 3, 4])),
        ...chunk("IEND", []),
      ]),
    );
    assert.equal(img.interlaced, true);
    assert.deepEqual([...img.data], [1, 2, 3, 4]);
  });

  it("throws FormatError with a readable message on defects", async () => {
    const good = png(2, 2, 8, 0, [0, 10, 20, 0, 30, 40]);
    throwsFormat(() => decodePng(new Uint8Array([1, 2, 3])), /signature/);
    const badCrc = good.slice();
    badCrc[20] ^= 1;
    throwsFormat(() => decodePng(badCrc), /CRC mismatch in chunk IHDR at byte 8/);
    throwsFormat(() => decodePng(good.subarray(0, good.length - 5)), /truncated/);
    throwsFormat(() => decodePng(png(2, 2, 3, 0, [0, 1, 0, 1])), /bit depth 3/);
    throwsFormat(() => decodePng(png(2, 2, 8, 0, [0, 10, 20, 0, 30])), /inflates to 5 of 6/);
    throwsFormat(() => decodePng(png(2, 2, 8, 0, [0, 10, 20, 0, 30, 40, 50])), /more than 6 bytes/);
    throwsFormat(() => decodePng(png(2, 1, 8, 0, [7, 1, 2])), /filter type 7/);
    throwsFormat(() => decodePng(png(2, 1, 8, 3, [0, 0, 5], [chunk("PLTE", [1, 2, 3])])), /palette index 5/);
    throwsFormat(() => decodePng(png(2, 1, 8, 3, [0, 0, 0])), /no PLTE/);
    throwsFormat(() => decodePng(png(1, 1, 8, 0, [0, 0], [chunk("ABCD", [])])), /critical chunk/);
    throwsFormat(() => decodePng(png(2, 2, 8, 0, [0, 1, 2, 0, 3, 4]), { maxPixels: 3 }), /maxPixels/);
  });

  it("rejects a non-Uint8Array with a DtypeError", async () => {
    assert.throws(() => decodePng([1, 2] as unknown as Uint8Array), { code: "ERR_DTYPE" });
  });
});

describe("readPngInfo", () => {
  it("reads IHDR and the inflated stream size of a checked file (hand table)", () => {
    const info = readPngInfo(png(2, 3, 16, 0, [0, 0, 1, 0, 2, 0, 0, 3, 0, 4, 0, 0, 5, 0, 6]));
    assert.deepEqual(info, {
      width: 2,
      height: 3,
      bitDepth: 16,
      colorType: 0,
      interlaced: false,
      channels: 1,
      streamBytes: 3 * (1 + 4),
    });
  });

  it("checks the signature and every chunk before trusting the size in bytes 16..24", () => {
    const good = png(1, 1, 8, 0, [0, 7]);
    const fails = (bytes: Uint8Array, pattern: RegExp) =>
      assert.throws(
        () => readPngInfo(bytes),
        (e: Error & { code?: string }) => e.code === "ERR_FORMAT" && pattern.test(e.message),
      );
    // Anything else with a huge "size" where IHDR would be: refused as not a PNG, not as too large.
    const fake = new Uint8Array(64).fill(0xff);
    fails(fake, /not a PNG file/);
    const huge = good.slice();
    huge.set([0x7f, 0xff, 0xff, 0xff], 16); // width without fixing the CRC
    fails(huge, /CRC mismatch in chunk IHDR/);
    fails(good.subarray(0, good.length - 12), /no IEND/);
  });

  it('with crc: "header" checks only the CRCs of IHDR, PLTE and tRNS; the data chunks are left to decodePng', () => {
    const good = png(1, 1, 8, 0, [0, 7]);
    // Break the IDAT's CRC (the 4 bytes before IEND's 12).
    const badData = good.slice();
    badData[badData.length - 13] ^= 0xff;
    assert.throws(() => readPngInfo(badData), /CRC mismatch in chunk IDAT/);
    assert.deepEqual(readPngInfo(badData, { crc: "header" }), readPngInfo(good));
    assert.throws(() => decodePng(badData), /CRC mismatch in chunk IDAT/);
    const badHeader = good.slice();
    badHeader.set([0x7f, 0xff, 0xff, 0xff], 16);
    assert.throws(() => readPngInfo(badHeader, { crc: "header" }), /CRC mismatch in chunk IHDR/);
    // Lengths and order are still checked.
    assert.throws(() => readPngInfo(good.subarray(0, good.length - 12), { crc: "header" }), /no IEND/);
  });
});

describe("PNG chunk count", () => {
  // A 2x1 gray image after `ancillary` tEXt chunks, its IDAT stream followed by `idats - 1` empty IDAT chunks.
  const build = (ancillary: number, idats: number) => {
    const parts: number[][] = [
      [137, 80, 78, 71, 13, 10, 26, 10],
      chunk("IHDR", [...be32(2), ...be32(1), 8, 0, 0, 0, 0]),
    ];
    const text = chunk("tEXt", [0x61, 0]);
    for (let i = 0; i < ancillary; i++) parts.push(text);
    parts.push(chunk("IDAT", zlibStored([0, 1, 2])));
    const empty = chunk("IDAT", []);
    for (let i = 1; i < idats; i++) parts.push(empty);
    parts.push(chunk("IEND", []));
    return concatBytes(parts.map((p) => Uint8Array.from(p)));
  };

  it("decodes a file of many chunks up to the bound, and refuses one past it before any inflating", () => {
    assert.deepEqual([...decodePng(build(1000, 1000)).data], [1, 2]);
    assert.equal(readPngInfo(build(0, MAX_PNG_CHUNKS - 2)).width, 2); // IHDR + IDATs + IEND = the bound
    for (const bytes of [build(0, MAX_PNG_CHUNKS - 1), build(MAX_PNG_CHUNKS, 1)]) {
      throwsFormat(() => readPngInfo(bytes), /more than 16384 chunks/);
      throwsFormat(() => decodePng(bytes), /more than 16384 chunks/);
    }
  });
});
