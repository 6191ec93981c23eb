import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { gather } from "./nd.ts";

/** The element-by-element gather the fast paths must equal. */
function gatherReference(data: Float32Array, shape: number[], maps: Int32Array[], fill: number): Float32Array {
  const outShape = maps.map((m) => m.length);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let r = o;
    for (let a = shape.length - 1; a >= 0; a--) {
      idx[a] = r % outShape[a];
      r = Math.floor(r / outShape[a]);
    }
    let src = 0;
    let inside = true;
    for (let a = 0; a < shape.length; a++) {
      const s = maps[a][idx[a]];
      if (s < 0) inside = false;
      src = src * shape[a] + Math.max(s, 0);
    }
    out[o] = inside ? data[src] : fill;
  }
  return out;
}

/** A map of one axis: identity, a shifted crop/pad window, or arbitrary entries (-1 = fill). */
const axisMap = (n: number) =>
  fc.oneof(
    fc.constant(Int32Array.from({ length: n }, (_, i) => i)),
    fc
      .tuple(fc.integer({ min: 1, max: 80 }), fc.integer({ min: -40, max: 40 }))
      .map(([len, off]) => Int32Array.from({ length: len }, (_, i) => (i + off >= 0 && i + off < n ? i + off : -1))),
    fc.array(fc.integer({ min: -1, max: n - 1 }), { minLength: 1, maxLength: 40 }).map((a) => Int32Array.from(a)),
  );

describe("gather", () => {
  it("copies identity maps, shifts windows and fills outside (hand table)", () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const id = gather(x, [2, 3], [Int32Array.of(0, 1), Int32Array.of(0, 1, 2)]);
    assert.deepEqual([...id], [1, 2, 3, 4, 5, 6]);
    assert.notEqual(id, x);
    assert.deepEqual([...gather(x, [2, 3], [Int32Array.of(1, -1), Int32Array.of(-1, 1, 2)], 9)], [9, 5, 6, 9, 9, 9]);
  });

  it("equals the element-by-element reference on random maps, rows long enough for the row copy (property)", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 3 })
          .chain((shape) => fc.tuple(fc.constant(shape), fc.tuple(...shape.map(axisMap)), fc.constantFrom(0, -2.5))),
        ([shape, maps, fill]) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const data = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 7);
          assert.deepEqual(gather(data, shape, maps, fill), gatherReference(data, shape, maps, fill));
        },
      ),
      { numRuns: 300 },
    );
  });
});
