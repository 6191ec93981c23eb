import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { float16Bits, float16Value, toFloat16 } from "./float16.ts";
import { quantizeBias, quantizeWeightPerChannel, roundHalfEven, uint8Params } from "./quantize.ts";

describe("float16Bits", () => {
  it("hand table", () => {
    const table: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65520, 0x7c00], // rounds to Inf
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // tie → even (0)
      [3 * 2 ** -25, 0x0002], // tie → even (2)
      [1 + 2 ** -11, 0x3c00], // tie → even
      [1 + 3 * 2 ** -11, 0x3c02],
      [Number.POSITIVE_INFINITY, 0x7c00],
    ];
    for (const [v, h] of table) assert.equal(float16Bits(v), h, `${v}`);
    assert.ok(Number.isNaN(float16Value(float16Bits(Number.NaN))));
  });

  it("round trip is within half a unit in the last place", () => {
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (v) => {
        const back = float16Value(float16Bits(v));
        const ulp = Math.abs(v) < 2 ** -14 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(Math.abs(v))) - 10);
        assert.ok(Math.abs(back - Math.fround(v)) <= ulp / 2 + 1e-30, `${v} → ${back}`);
      }),
    );
    assert.deepEqual([...toFloat16(Float32Array.of(1, 0.5))], [0x3c00, 0x3800]);
  });
});

describe("quantize", () => {
  it("roundHalfEven", () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, -3]);
  });

  it("per-channel weights: the channel maximum maps to ±127, error ≤ s/2 (axis 0 and 1)", () => {
    const w = Float32Array.of(0.5, -1, 0.25, 2, 0, 0, 0, 0); // [2, 4] along axis 0; channel 1 all zero
    const r = quantizeWeightPerChannel(w, [2, 4], 0);
    assert.deepEqual([...r.q], [32, -64, 16, 127, 0, 0, 0, 0]);
    assert.deepEqual([...r.scale], [Math.fround(2 / 127), 1]);
    fc.assert(
      fc.property(fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }), (v) => {
        const x = Float32Array.from(v);
        const t = quantizeWeightPerChannel(x, [2, 3], 1); // [in 2, out 3]
        for (let i = 0; i < 6; i++) {
          const s = t.scale[i % 3];
          assert.ok(Math.abs(t.q[i] * s - x[i]) <= s / 2 + 1e-6 * Math.abs(x[i]));
        }
      }),
    );
  });

  it("uint8 activation parameters: range widened to 0, ReLU output has zero point 0", () => {
    assert.deepEqual(uint8Params(0, 2.55), { scale: Math.fround(0.01), zeroPoint: 0 });
    assert.deepEqual(uint8Params(-1, 1), { scale: Math.fround(2 / 255), zeroPoint: 127 }); // 1 / s = 127.4999…
    assert.deepEqual(uint8Params(1, 2), { scale: Math.fround(2 / 255), zeroPoint: 0 });
    assert.deepEqual(uint8Params(0, 0), { scale: 1, zeroPoint: 0 });
  });

  it("int32 bias with scale s_x·s_w", () => {
    const r = quantizeBias(Float32Array.of(1, -0.5), 0.5, Float32Array.of(0.01, 0.1));
    assert.deepEqual([...r.q], [200, -10]);
    assert.deepEqual([...r.scale], [Math.fround(0.005), Math.fround(0.05)]);
  });
});
