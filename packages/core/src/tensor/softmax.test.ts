import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { argmaxChannels } from "./softmax.ts";

/** The plain loop argmaxChannels is specialised from: first strict maximum along C. */
function argmaxReference(x: Float32Array | Float64Array, n: number, c: number, s: number): Int32Array {
  const out = new Int32Array(n * s);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < s; i++) {
      let best = 0;
      let bestV = x[b * c * s + i];
      for (let k = 1; k < c; k++) {
        const v = x[b * c * s + k * s + i];
        if (v > bestV) {
          bestV = v;
          best = k;
        }
      }
      out[b * s + i] = best;
    }
  }
  return out;
}

describe("argmaxChannels", () => {
  it("takes the first maximum along C (hand table)", () => {
    // [1, 4, 3]: pixel 0 -> 2, pixel 1 ties 1 and 3 -> 1, pixel 2 all equal -> 0.
    const x = Float32Array.from([0, 0, 5, 1, 9, 5, 7, 3, 5, 1, 9, 5]);
    assert.deepEqual([...argmaxChannels(x, [1, 4, 3])], [2, 1, 0]);
    // C = 2 and C = 3, two images each.
    assert.deepEqual([...argmaxChannels(Float64Array.from([1, 2, 3, 0, 5, 5, 6, 7]), [2, 2, 2])], [1, 0, 1, 1]);
    assert.deepEqual([...argmaxChannels(Float32Array.from([1, 4, 2, 4, 3, 4]), [1, 3, 2])], [2, 0]);
    // A NaN never beats an earlier channel; a NaN first channel keeps index 0.
    assert.deepEqual([...argmaxChannels(Float32Array.from([1, Number.NaN, Number.NaN, 2, 3, 5]), [1, 3, 2])], [2, 0]);
  });

  it("equals the reference loop for C = 1..9, float32 and float64, ties, NaN and infinities (property)", () => {
    const value = fc.oneof(
      fc.integer({ min: -3, max: 3 }), // many ties
      fc.double({ noDefaultInfinity: false, noNaN: false }),
      fc.constantFrom(-0, 0, Number.NaN, Infinity, -Infinity),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.array(value, { minLength: 3 * 9 * 40, maxLength: 3 * 9 * 40 }),
        (n, c, s, f64, pool) => {
          const values = pool.slice(0, n * c * s);
          const x = f64 ? Float64Array.from(values) : Float32Array.from(values);
          assert.deepEqual(argmaxChannels(x, [n, c, s]), argmaxReference(x, n, c, s));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects integer scores and a length mismatch with named codes", () => {
    assert.throws(() => argmaxChannels(new Int32Array(4) as never, [1, 2, 2]), { code: "ERR_DTYPE" });
    assert.throws(() => argmaxChannels(new Float32Array(5), [1, 2, 2]), { code: "ERR_SHAPE" });
  });
});
