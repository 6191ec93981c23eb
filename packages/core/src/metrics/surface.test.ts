import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertExact } from "../../test/fixtures.ts";
import { surface } from "./surface.ts";

/** Naive reference: foreground with a face neighbour that is background or outside the array. */
function naiveSurface(x: Uint8Array, shape: number[]): number[] {
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((s, d) => s * d, 1));
  return [...x].map((v, i) => {
    if (!v) return 0;
    return shape.some((d, a) => {
      const c = Math.floor(i / strides[a]) % d;
      return c === 0 || c === d - 1 || !x[i - strides[a]] || !x[i + strides[a]];
    })
      ? 1
      : 0;
  });
}

describe("surface", () => {
  it("hand table: a filled 4x5 block inside a 6x7 map keeps its rim", () => {
    const x = new Uint8Array(42);
    for (let r = 1; r <= 4; r++) for (let c = 1; c <= 5; c++) x[r * 7 + c] = 1;
    // biome-ignore format: grid
    assertExact(surface(x, [6, 7]), [
      0, 0, 0, 0, 0, 0, 0,
      0, 1, 1, 1, 1, 1, 0,
      0, 1, 0, 0, 0, 1, 0,
      0, 1, 0, 0, 0, 1, 0,
      0, 1, 1, 1, 1, 1, 0,
      0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it("hand table: object voxels on the array border are surface (border_value 0)", () => {
    assertExact(surface(new Int32Array(9).fill(3), [3, 3]), [1, 1, 1, 1, 0, 1, 1, 1, 1]);
    const cube = surface(new Uint8Array(27).fill(1), [3, 3, 3]);
    assert.equal(cube[13], 0);
    assert.equal(
      cube.reduce((s, v) => s + v, 0),
      26,
    );
  });

  it("hand table: diagonal neighbours do not count (cross structuring element)", () => {
    // The centre has background only diagonally, so it is interior.
    assertExact(surface(Uint8Array.from([0, 1, 0, 1, 1, 1, 0, 1, 0]), [3, 3]), [0, 1, 0, 1, 0, 1, 0, 1, 0]);
  });

  it("property: the surface is a subset of the object and contains its extreme voxels", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), (bits) => {
        const x = Uint8Array.from(bits, Number);
        const s = surface(x, [3, 4, 5]);
        for (let i = 0; i < 60; i++) if (s[i]) assert.equal(x[i], 1);
        const last = x.lastIndexOf(1);
        if (last >= 0) assert.equal(s[last], 1);
      }),
    );
  });

  it("property: equals a naive neighbour check on random 1D-3D maps", () => {
    const arb = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.array(fc.boolean(), {
          minLength: shape.reduce((s, d) => s * d, 1),
          maxLength: shape.reduce((s, d) => s * d, 1),
        }),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, bits]) => {
        const x = Uint8Array.from(bits, Number);
        assertExact(surface(x, shape), naiveSurface(x, shape));
      }),
      { numRuns: 300 },
    );
  });

  it("bad input throws named errors", () => {
    assert.throws(() => surface(new Uint8Array(5), [2, 3]), { code: "ERR_SHAPE" });
    assert.throws(() => surface({ length: 6 } as unknown as Uint8Array, [2, 3]), { code: "ERR_DTYPE" });
  });
});
