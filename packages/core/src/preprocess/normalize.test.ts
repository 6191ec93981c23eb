import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertClose } from "../../test/fixtures.ts";
import { clipIntensity } from "./clip-intensity.ts";
import { normalizeMinMax } from "./normalize-min-max.ts";
import { normalizeZScore } from "./normalize-z-score.ts";

describe("normalizeMinMax", () => {
  it("maps min to 0 and max to 1 (hand table); a constant image gives zeros", () => {
    assert.deepEqual([...normalizeMinMax(Float32Array.from([2, 4, 6, 10]), [2, 2])], [0, 0.25, 0.5, 1]);
    assert.deepEqual([...normalizeMinMax(Float64Array.from([3, 3, 3]), [3])], [0, 0, 0]);
  });

  it("stays in [0, 1] and does not touch its input", () => {
    fc.assert(
      fc.property(fc.float32Array({ minLength: 1, maxLength: 50, noDefaultInfinity: true, noNaN: true }), (x) => {
        const copy = x.slice();
        const y = normalizeMinMax(x, [x.length]);
        for (const v of y) assert.ok(v >= 0 && v <= 1);
        assert.deepEqual(x, copy);
      }),
    );
  });

  it("rejects bad input with named codes", () => {
    assert.throws(() => normalizeMinMax(new Uint8Array(4) as never, [4]), { code: "ERR_DTYPE" });
    assert.throws(() => normalizeMinMax(new Float32Array(4), [5]), { code: "ERR_SHAPE" });
  });
});

describe("normalizeZScore", () => {
  it("gives mean 0 and population std 1 (hand table)", () => {
    // mean 2.5, std sqrt(1.25)
    const s = Math.sqrt(1.25);
    assertClose(normalizeZScore(Float32Array.from([1, 2, 3, 4]), [4]), [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]);
    assert.deepEqual([...normalizeZScore(Float32Array.from([5, 5]), [2])], [0, 0]);
  });

  it("clips to numpy-linear percentiles first", () => {
    // 0..100: percentiles 10 / 90 are 10 / 90 -> values clipped to [10, 90]
    const x = Float32Array.from({ length: 101 }, (_, i) => i);
    const y = normalizeZScore(x, [101], { clipPercentiles: [10, 90] });
    assert.equal(y[0], y[10]);
    assert.equal(y[100], y[90]);
    assert.ok(y[11] > y[10]);
    assert.throws(() => normalizeZScore(x, [101], { clipPercentiles: [90, 10] }), { code: "ERR_ARGUMENT" });
  });

  it("has mean 0 and std 1 for any non-constant input", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 }), (a) => {
        fc.pre(new Set(a).size > 1);
        const y = normalizeZScore(Float64Array.from(a), [a.length]);
        const m = y.reduce((s, v) => s + v, 0) / y.length;
        const v = y.reduce((s, t) => s + (t - m) ** 2, 0) / y.length;
        assertClose([m, v], [0, 1], { atol: 1e-5 });
      }),
    );
  });
});

describe("clipIntensity", () => {
  it("clamps to [min, max]", () => {
    assert.deepEqual([...clipIntensity(Float32Array.from([-2, 0.5, 9]), [3], 0, 1)], [0, 0.5, 1]);
    assert.throws(() => clipIntensity(new Float32Array(1), [1], 2, 1), { code: "ERR_ARGUMENT" });
  });
});
