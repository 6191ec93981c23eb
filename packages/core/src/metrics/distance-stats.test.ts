import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { percentileLinear } from "./distance-stats.ts";

/** numpy.percentile(v, q) "linear", by a full sort. */
function numpyPercentile(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  const t = q / 100;
  const h = n * t + (1 - t) - 1;
  const i = Math.min(Math.max(Math.floor(h), 0), n - 1);
  const j = Math.min(i + 1, n - 1);
  const g = h - i;
  const d = v[j] - v[i];
  return g >= 0.5 ? v[j] - d * (1 - g) : v[i] + d * g;
}

describe("percentileLinear", () => {
  it("hand table: numpy.percentile values", () => {
    // numpy.percentile([1, 2, 3, 4], 95) == 3.8499999999999996; ([5], 95) == 5; ([0, 10], 50) == 5
    assert.equal(percentileLinear(Float64Array.from([4, 1, 3, 2]), 95), 3.8499999999999996);
    assert.equal(percentileLinear(Float64Array.from([5]), 95), 5);
    assert.equal(percentileLinear(Float64Array.from([10, 0]), 50), 5);
    assert.equal(percentileLinear(Float64Array.from([3, 1, 2]), 100), 3);
    assert.equal(percentileLinear(Float64Array.from([3, 1, 2]), 0), 1);
  });

  it("property: quickselect equals the sort-based numpy formula (many ties)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 100 }),
        (ints, q) => {
          const values = ints.map(Math.sqrt);
          assert.equal(percentileLinear(Float64Array.from(values), q), numpyPercentile(values, q));
        },
      ),
      { numRuns: 500 },
    );
  });
});
