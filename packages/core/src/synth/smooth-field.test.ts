import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertClose } from "../../test/fixtures.ts";
import { createRng } from "../rng/create-rng.ts";
import { smoothField } from "./smooth-field.ts";

describe("smoothField", () => {
  it("interpolates the lattice with smoothstep weights (hand table)", () => {
    // Shape [2] with 1 cell: samples at 0.25 and 0.75 of the cell, weights 3t²-2t³ = 0.15625, 0.84375.
    // Rank 1 is padded to [1, 1, 2]: lattice 2 x 2 x 2 drawn in order; B = 1 sits mid-cell (weight 0.5).
    const r = createRng(9);
    const l = Array.from({ length: 8 }, () => 2 * r.random() - 1);
    const line = [0.5 * l[0] + 0.5 * l[2], 0.5 * l[1] + 0.5 * l[3]];
    const want = [0.15625, 0.84375].map((w) => (1 - w) * line[0] + w * line[1]);
    assertClose(smoothField(createRng(9), [2], 1), want, { rtol: 1e-6 });
  });

  it("is deterministic, bounded by [-1, 1] and smooth, for ranks 1..3", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        (seed, shape, cells) => {
          const f = smoothField(createRng(seed), shape, cells);
          assert.deepEqual(f, smoothField(createRng(seed), shape, cells));
          assert.equal(
            f.length,
            shape.reduce((a, b) => a * b, 1),
          );
          for (const v of f) assert.ok(v >= -1 && v <= 1);
          // Along the last axis a step moves at most 2 (lattice span) * 1.5 (smoothstep slope) * cells / n.
          const n = shape[shape.length - 1];
          for (let i = 1; i < f.length; i++) {
            if (i % n !== 0) assert.ok(Math.abs(f[i] - f[i - 1]) <= (3 * cells) / n + 1e-6);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
