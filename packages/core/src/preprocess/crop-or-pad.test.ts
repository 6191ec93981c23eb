import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertExact } from "../../test/fixtures.ts";
import { cropOrPad } from "./crop-or-pad.ts";

describe("cropOrPad", () => {
  it("pads left = pad // 2 and crops centred (hand table)", () => {
    assert.deepEqual([...cropOrPad(Int32Array.from([1, 2]), [2], [5])], [0, 1, 2, 0, 0]);
    assert.deepEqual([...cropOrPad(Int32Array.from([1, 2, 3, 4, 5]), [5], [2])], [2, 3]);
    assert.deepEqual(
      [...cropOrPad(Uint8Array.from([1, 2, 3, 4]), [2, 2], [2, 3], { offsets: [0, -1], fill: 9 })],
      [9, 1, 2, 9, 3, 4],
    );
  });

  it("pad then crop back is the identity (2D and 3D), keeping the array kind", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 3 }),
        fc.nat(4),
        (shape, extra) => {
          const x = Int16Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i - 7);
          const big = shape.map((d) => d + extra);
          const padded = cropOrPad(x, shape, big, { fill: 99 });
          assert.ok(padded instanceof Int16Array);
          const offsets = shape.map((d, i) => Math.floor((big[i] - d) / 2));
          assertExact(cropOrPad(padded, big, shape, { offsets }), x);
        },
      ),
    );
  });

  it("rejects bad input with named codes", () => {
    assert.throws(() => cropOrPad(new Float32Array(4), [2, 2], [3]), { code: "ERR_SHAPE" });
    assert.throws(() => cropOrPad(new Float32Array(4), [2, 2], [3, 3], { offsets: [0] }), { code: "ERR_ARGUMENT" });
    assert.throws(() => cropOrPad(new Float32Array(4), [2, 2], [3, 3], { fill: Number.NaN }), { code: "ERR_ARGUMENT" });
  });
});
