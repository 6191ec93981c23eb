import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertClose } from "../../test/fixtures.ts";
import { distanceTransform } from "./distance-transform.ts";

/** O(n^2) reference: distance of every voxel to the nearest zero voxel (Infinity if none). */
function bruteForce(binary: ArrayLike<number>, shape: number[], spacing: number[]): Float64Array {
  const coords = (i: number) => {
    const c = new Array<number>(shape.length);
    for (let a = shape.length - 1; a >= 0; a--) {
      c[a] = i % shape[a];
      i = Math.floor(i / shape[a]);
    }
    return c;
  };
  const all = Array.from({ length: binary.length }, (_, i) => coords(i));
  const zeros = all.filter((_, i) => binary[i] === 0);
  return Float64Array.from(all, (p) => {
    let best = Infinity;
    for (const q of zeros) {
      let d = 0;
      for (let a = 0; a < p.length; a++) d += ((p[a] - q[a]) * spacing[a]) ** 2;
      best = Math.min(best, d);
    }
    return Math.sqrt(best);
  });
}

const mapArb = (rank: 1 | 2 | 3) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: rank === 3 ? 6 : 9 }), { minLength: rank, maxLength: rank }),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    )
    .chain(([shape, density]) =>
      fc.record({
        shape: fc.constant(shape),
        data: fc
          .array(fc.double({ min: 0, max: 1, noNaN: true }), {
            minLength: shape.reduce((s, d) => s * d, 1),
            maxLength: shape.reduce((s, d) => s * d, 1),
          })
          .map((u) => Uint8Array.from(u, (x) => (x < density ? 1 : 0))),
        spacing: fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: rank, maxLength: rank }),
      }),
    );

describe("distanceTransform", () => {
  it("hand table: 3x4 unit spacing (scipy distance_transform_edt)", () => {
    // biome-ignore format: grid
    const x = Uint8Array.from([
      0, 1, 1, 1,
      1, 1, 1, 1,
      1, 1, 1, 0,
    ]);
    const r2 = Math.SQRT2;
    // biome-ignore format: grid
    assertClose(distanceTransform(x, [3, 4]), [
      0, 1, 2, 2,
      1, r2, r2, 1,
      2, 2, 1, 0,
    ], { rtol: 0, atol: 1e-15 });
  });

  it("hand table: anisotropic spacing (scipy sampling=[2, 3] on [[1, 1, 0]])", () => {
    assertClose(distanceTransform(Uint8Array.from([1, 1, 0]), [1, 3], { spacing: [2, 3] }), [6, 3, 0]);
  });

  it("no zero voxel: every distance is Infinity", () => {
    assert.deepEqual([...distanceTransform(new Int32Array(6).fill(7), [2, 3])], new Array(6).fill(Infinity));
  });

  it("does not mutate its input", () => {
    const x = Float32Array.from([0, 2, -1, 0.5]);
    distanceTransform(x, [2, 2]);
    assert.deepEqual([...x], [0, 2, -1, 0.5]);
  });

  for (const rank of [1, 2, 3] as const) {
    it(`property: equals a brute-force EDT on random ${rank}D maps with random spacing`, () => {
      fc.assert(
        fc.property(mapArb(rank), ({ shape, data, spacing }) => {
          const got = distanceTransform(data, shape, { spacing });
          const want = bruteForce(data, shape, spacing);
          for (let i = 0; i < want.length; i++) {
            if (want[i] === Infinity) assert.equal(got[i], Infinity);
            else assert.ok(Math.abs(got[i] - want[i]) <= 1e-12 * (1 + want[i]), `voxel ${i}: ${got[i]} vs ${want[i]}`);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it("property: unit spacing gives exact square roots of integers", () => {
    fc.assert(
      fc.property(mapArb(3), ({ shape, data }) => {
        const got = distanceTransform(data, shape);
        const want = bruteForce(data, shape, [1, 1, 1]);
        for (let i = 0; i < want.length; i++) assert.equal(got[i], want[i]);
      }),
      { numRuns: 100 },
    );
  });

  it("bad input throws named errors", () => {
    const x = new Uint8Array(6);
    assert.throws(() => distanceTransform(x, [2, 2]), { code: "ERR_SHAPE" });
    assert.throws(() => distanceTransform(x, [2, 0, 3]), { code: "ERR_SHAPE" });
    assert.throws(() => distanceTransform([0, 1] as unknown as Uint8Array, [2]), { code: "ERR_DTYPE" });
    assert.throws(() => distanceTransform(x, [2, 3], { spacing: [1] }), { code: "ERR_SHAPE" });
    assert.throws(() => distanceTransform(x, [2, 3], { spacing: [1, -2] }), { code: "ERR_ARGUMENT" });
    assert.throws(() => distanceTransform(x, [2, 3], { spacing: [1, Number.NaN] }), { code: "ERR_ARGUMENT" });
  });
});
