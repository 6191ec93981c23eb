import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertClose } from "../../test/fixtures.ts";
import { resizeBilinear } from "./resize-bilinear.ts";

describe("resizeBilinear", () => {
  it("interpolates with half-pixel centres or aligned corners (hand table)", () => {
    const x = Float32Array.from([0, 1]);
    // half-pixel, 2 -> 4: c = -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1)
    assertClose(resizeBilinear(x, [1, 2], [1, 4]), [0, 0.25, 0.75, 1]);
    // align corners, 2 -> 3: c = 0, 0.5, 1
    assertClose(resizeBilinear(x, [1, 2], [1, 3], { alignCorners: true }), [0, 0.5, 1]);
    // 2x2 -> 3x3 aligned: centre is the mean of the four corners
    const y = resizeBilinear(Float32Array.from([0, 2, 4, 6]), [2, 2], [3, 3], { alignCorners: true });
    assert.equal(y[4], 3);
  });

  it("keeps an unchanged axis exact, so [S, H, W] resizes each slice alone", () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([10, 20, 30, 40]);
    const stack = Float32Array.from([...a, ...b]);
    const r = resizeBilinear(stack, [2, 2, 2], [2, 5, 3]);
    assert.deepEqual([...r.subarray(0, 15)], [...resizeBilinear(a, [2, 2], [5, 3])]);
    assert.deepEqual([...r.subarray(15)], [...resizeBilinear(b, [2, 2], [5, 3])]);
  });

  it("is the identity at the same shape and preserves constants", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        (h, w, oh, ow, alignCorners) => {
          const x = Float32Array.from({ length: h * w }, (_, i) => i);
          assert.deepEqual(resizeBilinear(x, [h, w], [h, w], { alignCorners }), x);
          const c = resizeBilinear(new Float32Array(h * w).fill(0.3), [h, w], [oh, ow], { alignCorners });
          assertClose(c, new Float32Array(oh * ow).fill(0.3));
        },
      ),
    );
  });

  it("rejects bad input with named codes", () => {
    assert.throws(() => resizeBilinear(new Int32Array(4) as never, [2, 2], [3, 3]), { code: "ERR_DTYPE" });
    assert.throws(() => resizeBilinear(new Float32Array(4), [4], [3]), { code: "ERR_SHAPE" });
    assert.throws(() => resizeBilinear(new Float32Array(4), [2, 2], [3, 3], { alignCorners: 1 as never }), {
      code: "ERR_ARGUMENT",
    });
  });
});
