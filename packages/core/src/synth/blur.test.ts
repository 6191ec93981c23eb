import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertClose } from "../../test/fixtures.ts";
import { binomialBlur } from "./blur.ts";

describe("binomialBlur", () => {
  it("spreads an impulse as [1 2 1]^T [1 2 1] / 16 (hand table)", () => {
    const img = new Float32Array(25);
    img[12] = 16;
    const out = binomialBlur(img, 5, 5);
    const want = [0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 2, 4, 2, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0];
    assertClose(out, want);
    assert.equal(img[12], 16); // input untouched
  });

  it("keeps constants and the [min, max] range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (h, w, c) => {
          const data = Float32Array.from({ length: h * w }, (_, i) => ((i * 7) % 5) / 4);
          const flat = binomialBlur(new Float32Array(h * w).fill(c), h, w);
          for (const v of flat) assert.ok(Math.abs(v - Math.fround(c)) < 1e-6);
          for (const v of binomialBlur(data, h, w)) assert.ok(v >= 0 && v <= 1);
        },
      ),
    );
  });
});
