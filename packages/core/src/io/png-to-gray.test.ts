import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertClose } from "../../test/fixtures.ts";
import { pngToGray } from "./png-to-gray.ts";
import type { DecodedPng } from "./png-types.ts";

const png = (data: Uint8Array | Uint16Array, channels: 1 | 2 | 3 | 4, bitDepth: 8 | 16): DecodedPng => ({
  data,
  width: data.length / channels,
  height: 1,
  channels,
  bitDepth,
  colorType: 0,
  fileBitDepth: bitDepth,
  interlaced: false,
});

describe("pngToGray", () => {
  it("takes gray as is, drops alpha, keeps the 16-bit range (hand table)", () => {
    assert.deepEqual([...pngToGray(png(Uint8Array.from([0, 7, 255]), 1, 8))], [0, 7, 255]);
    assert.deepEqual([...pngToGray(png(Uint8Array.from([9, 0, 200, 255]), 2, 8))], [9, 200]);
    assert.deepEqual([...pngToGray(png(Uint16Array.from([65535, 1000]), 1, 16))], [65535, 1000]);
    assertClose(pngToGray(png(Uint16Array.from([65535, 0]), 1, 16), { unit: true }), [1, 0]);
  });

  it("uses Rec. 601 luma for RGB(A)", () => {
    assertClose(pngToGray(png(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]), 3, 8)), [76.245, 149.685, 29.07]);
    assertClose(pngToGray(png(Uint8Array.from([10, 20, 30, 0]), 4, 8)), [0.299 * 10 + 0.587 * 20 + 0.114 * 30]);
  });

  it("maps equal RGB channels to that gray value", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), (g) => {
        const rgb = Uint8Array.from([...g].flatMap((v) => [v, v, v]));
        assertClose(pngToGray(png(rgb, 3, 8)), g, { rtol: 1e-6, atol: 1e-4 });
      }),
    );
  });
});
