import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createRng } from "../rng/create-rng.ts";
import { approxNormal, uniform, unitVector } from "./noise.ts";

describe("approxNormal", () => {
  it("is exactly -4*32767.5 / (65536 sqrt(1/3)) for all-zero draws (hand table)", () => {
    const zero = { nextUint32: () => 0 } as unknown as Parameters<typeof approxNormal>[0];
    assert.ok(Math.abs(approxNormal(zero) + (4 * 32767.5) / (65536 * Math.sqrt(1 / 3))) < 1e-12);
    const max = { nextUint32: () => 0xffffffff } as unknown as Parameters<typeof approxNormal>[0];
    assert.ok(Math.abs(approxNormal(max) - (4 * 32767.5) / (65536 * Math.sqrt(1 / 3))) < 1e-12);
  });

  it("has mean 0, variance 1 and bounded tails for any seed", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = createRng(seed);
        let s = 0;
        let s2 = 0;
        const n = 20000;
        for (let i = 0; i < n; i++) {
          const x = approxNormal(rng);
          assert.ok(Math.abs(x) < 3.47);
          s += x;
          s2 += x * x;
        }
        assert.ok(Math.abs(s / n) < 0.04);
        assert.ok(Math.abs(s2 / n - 1) < 0.05);
      }),
      { numRuns: 10 },
    );
  });
});

describe("uniform and unitVector", () => {
  it("draw in range and on the unit sphere", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 4 }), (seed, n) => {
        const rng = createRng(seed);
        const u = uniform(rng, -2, 3);
        assert.ok(u >= -2 && u < 3);
        const v = unitVector(rng, n);
        assert.equal(v.length, n);
        assert.ok(Math.abs(v.reduce((a, x) => a + x * x, 0) - 1) < 1e-12);
      }),
    );
  });
});
