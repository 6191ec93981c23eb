import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertExact } from "../../test/fixtures.ts";
import { lossMask } from "./loss-mask.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("lossMask", () => {
  it("hand table: repeats a 2x2 mask three times", () => {
    const m = Uint8Array.of(1, 0, 0, 1);
    assertExact(lossMask(m, [2, 2], 3), [1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
  });

  it("does not alias or mutate the input", () => {
    const m = Uint8Array.of(1, 0, 1, 1, 0, 1, 1, 1);
    const out = lossMask(m, [2, 2, 2], 1);
    out[0] = 0;
    assert.equal(m[0], 1);
  });

  it("property: every row equals the mask", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ min: 0, max: 1, minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (m, n) => {
          const out = lossMask(m, [2, 3], n);
          assert.equal(out.length, 6 * n);
          for (let b = 0; b < n; b++) assertExact(out.subarray(b * 6, b * 6 + 6), m);
        },
      ),
    );
  });

  it("errors", () => {
    assert.throws(() => lossMask(new Uint8Array(4), [4], 1), code("ERR_SHAPE"));
    assert.throws(() => lossMask(new Uint8Array(3), [2, 2], 1), code("ERR_SHAPE"));
    assert.throws(() => lossMask(Uint8Array.of(0, 1, 2, 1), [2, 2], 1), code("ERR_RANGE"));
    assert.throws(() => lossMask(new Uint8Array(4), [2, 2], 0), code("ERR_ARGUMENT"));
    assert.throws(() => lossMask([0, 1, 1, 1] as unknown as Uint8Array, [2, 2], 1), code("ERR_DTYPE"));
  });
});
