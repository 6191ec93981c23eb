import assert from "node:assert/strict";
import { describe, it } from "node:test";
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
});
