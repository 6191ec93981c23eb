import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertExact } from "../../test/fixtures.ts";
import { neighbourhood } from "./connectivity.ts";
import { labelKernel, paintRuns } from "./label-kernel.ts";

const paint = (r: ReturnType<typeof labelKernel>, n: number) => {
  const out = new Int32Array(n);
  paintRuns(
    r,
    Int32Array.from({ length: r.count + 1 }, (_, k) => k),
    out,
    0,
  );
  return out;
};

describe("labelKernel", () => {
  it("splits touching runs of different values in sameValue mode (up to d2 runs per row)", () => {
    const m = Int32Array.from([1, 2, 1, 2, 2, 1, 2, 1]); // [2, 4]
    const r = labelKernel(m, 1, 2, 4, neighbourhood("t", 2, 4), true);
    assertExact(paint(r, 8), [1, 2, 3, 4, 5, 6, 7, 8]);
    assertExact(r.sizes, [0, 1, 1, 1, 1, 1, 1, 1, 1]);
    const r8 = labelKernel(m, 1, 2, 4, neighbourhood("t", 2, 8), true);
    assertExact(paint(r8, 8), [1, 2, 1, 2, 2, 1, 2, 1]);
    assertExact(r8.first, [-1, 0, 1]);
  });

  it("reports the first voxel of each component and merges runs joined only on a later row", () => {
    const m = Uint8Array.from([1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1]); // [3, 4]: a U open at the top
    const r = labelKernel(m, 1, 3, 4, neighbourhood("t", 2, 4), false);
    assert.equal(r.count, 1);
    assertExact(r.first, [-1, 0]);
    assertExact(r.sizes, [4, 8]);
  });

  it("keeps samples apart when a 2D neighbourhood runs over a batch axis", () => {
    const m = Uint8Array.from([1, 1, 1, 1]); // [2, 1, 2]
    const r = labelKernel(m, 2, 1, 2, neighbourhood("t", 2, 8), false);
    assertExact(paint(r, 4), [1, 1, 2, 2]);
  });

  it("labels a sparse Uint8Array (word-wise background skip) as the same Int8Array does (property)", () => {
    const cases = fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 23 }))
      .chain(([d0, d1, d2]) =>
        fc
          .array(fc.integer({ min: 0, max: 15 }), { minLength: d0 * d1 * d2, maxLength: d0 * d1 * d2 })
          .map((v) => ({ d0, d1, d2, m: Uint8Array.from(v, (x) => (x === 0 ? 1 : 0)) })),
      );
    const hood = neighbourhood("t", 3, 26);
    fc.assert(
      fc.property(cases, fc.integer({ min: 0, max: 3 }), ({ d0, d1, d2, m }, shift) => {
        // An offset view exercises both aligned and unaligned 32-bit access.
        const view = new Uint8Array(m.length + shift).subarray(shift);
        view.set(m);
        const a = labelKernel(view, d0, d1, d2, hood, false);
        const b = labelKernel(Int8Array.from(m), d0, d1, d2, hood, false);
        assertExact(paint(a, m.length), paint(b, m.length));
        assertExact(a.sizes, b.sizes);
      }),
    );
  });
});
