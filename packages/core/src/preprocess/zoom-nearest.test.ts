import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import aug from "../../test/fixtures/augment.json" with { type: "json" };
import { assertExact, f32 } from "../../test/fixtures.ts";
import { zoomNearest } from "./zoom-nearest.ts";
import { zoomShape } from "./zoom-shape.ts";

describe("zoomNearest", () => {
  it("samples floor(o * (in-1)/(out-1) + 0.5) (hand table)", () => {
    // 3 -> 5: step 0.5, c = 0, .5, 1, 1.5, 2 -> 0, 1, 1, 2, 2
    assert.deepEqual([...zoomNearest(Int32Array.from([10, 20, 30]), [1, 3], [1, 5])], [10, 20, 20, 30, 30]);
    // 4 -> 2: step 3, c = 0, 3
    assert.deepEqual([...zoomNearest(Uint8Array.from([1, 2, 3, 4]), [4], [2])], [1, 4]);
    // out = 1 takes the first element
    assert.deepEqual([...zoomNearest(Float32Array.from([7, 8, 9]), [3], [1])], [7]);
  });

  it("matches scipy.ndimage.zoom(order=0) with scipyEdgeQuirk, incl. the zeroed last row", () => {
    for (const c of aug.zoom_order0.cases) {
      const input = f32(c.input);
      assert.deepEqual(zoomShape(c.input.shape, c.zoom_factors), c.output.shape);
      const got = zoomNearest(input, c.input.shape, c.output.shape, { scipyEdgeQuirk: true });
      assertExact(got, c.output.data, `zoom ${c.input.shape} -> ${c.output.shape}`);
    }
  });

  it("clamps instead of zeroing by default (256 -> 216 keeps its last row)", () => {
    const c = aug.zoom_order0.cases.find((z) => z.input.shape[0] === 256)!;
    const got = zoomNearest(f32(c.input), c.input.shape, c.output.shape);
    const quirk = zoomNearest(f32(c.input), c.input.shape, c.output.shape, { scipyEdgeQuirk: true });
    const last = (c.output.shape[0] - 1) * c.output.shape[1];
    assert.deepEqual([...quirk.subarray(last)], [0, 0]);
    assert.deepEqual([...got.subarray(last)], [511, 512]);
    assertExact(got.subarray(0, last), c.output.data.slice(0, last));
  });

  it("keeps the typed-array kind of label maps", () => {
    for (const Ctor of [Uint8Array, Int8Array, Uint16Array, Int16Array, Int32Array, Uint32Array, Float64Array]) {
      const out = zoomNearest(Ctor.from([1, 2, 3, 4]), [2, 2], [3, 3]);
      assert.equal(out.constructor, Ctor);
    }
  });

  it("is the identity when the shape does not change, and zoomShape round-trips integer sizes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (shape, q) => {
          const data = Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 3 - 5);
          assertExact(zoomNearest(data, shape, shape, { scipyEdgeQuirk: q }), data);
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }), (n, m) => {
        assert.deepEqual(zoomShape([n], [m / n]), [m]);
      }),
    );
  });

  it("rejects bad input with named codes", () => {
    assert.throws(() => zoomNearest(new Float32Array(3), [2, 2], [4, 4]), { code: "ERR_SHAPE" });
    assert.throws(() => zoomNearest(new Float32Array(4), [2, 2], [4]), { code: "ERR_SHAPE" });
    assert.throws(() => zoomNearest([1, 2] as unknown as Float32Array, [2], [4]), { code: "ERR_DTYPE" });
    assert.throws(() => zoomNearest(new Float32Array(4), [2, 2], [4, 0]), { code: "ERR_SHAPE" });
    assert.throws(() => zoomShape([4, 4], [2]), { code: "ERR_ARGUMENT" });
    assert.throws(() => zoomShape([4], [0]), { code: "ERR_ARGUMENT" });
  });
});
