import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertClose } from "../../test/fixtures.ts";
import { asd } from "./asd.ts";
import { evaluateBinary } from "./evaluate-binary.ts";
import { surface } from "./surface.ts";
import { surfaceDistances } from "./surface-distances.ts";

interface MapPair {
  shape: number[];
  pred: Uint8Array;
  gt: Uint8Array;
  spacing: number[];
}

/** A few random boxes plus sparse speckle, anywhere in the map (often touching the border, often small). */
function blobs(shape: number[]): fc.Arbitrary<Uint8Array> {
  const n = shape.reduce((s, d) => s * d, 1);
  const box = fc.tuple(
    ...shape.map((d) => fc.tuple(fc.integer({ min: 0, max: d - 1 }), fc.integer({ min: 1, max: Math.max(1, d >> 1) }))),
  );
  return fc
    .record({
      boxes: fc.array(box, { minLength: 0, maxLength: 3 }),
      speckle: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
    })
    .map(({ boxes, speckle }) => {
      const out = new Uint8Array(n);
      for (const b of boxes) {
        const idx = (axis: number, base: number): void => {
          if (axis === shape.length) {
            out[base] = 1;
            return;
          }
          const [start, len] = b[axis];
          for (let c = start; c < Math.min(shape[axis], start + len); c++) idx(axis + 1, base * shape[axis] + c);
        };
        idx(0, 0);
      }
      for (const i of speckle) out[i] = 1;
      return out;
    });
}

/** Random 2D or 3D pairs of binary maps with random anisotropic spacing. */
const mapPair = (ranks: number[] = [2, 3]): fc.Arbitrary<MapPair> =>
  fc
    .constantFrom(...ranks)
    .chain((rank) => fc.array(fc.integer({ min: 1, max: rank === 3 ? 9 : 14 }), { minLength: rank, maxLength: rank }))
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        pred: blobs(shape),
        gt: blobs(shape),
        spacing: fc.array(fc.double({ min: 0.2, max: 4, noNaN: true }), {
          minLength: shape.length,
          maxLength: shape.length,
        }),
      }),
    );

/** Same, but neither map is empty. */
const nonEmptyPair = (ranks?: number[]): fc.Arbitrary<MapPair> =>
  mapPair(ranks).filter((p) => p.pred.includes(1) && p.gt.includes(1));

/** medpy's definition on the whole array, by brute force: nearest surface voxel of b for each of a's. */
function bruteDirected(a: Uint8Array, b: Uint8Array, shape: number[], spacing: number[]): number[] {
  const coords = (i: number) => {
    const c = new Array<number>(shape.length);
    for (let k = shape.length - 1; k >= 0; k--) {
      c[k] = i % shape[k];
      i = Math.floor(i / shape[k]);
    }
    return c;
  };
  const sa = surface(a, shape);
  const sb = surface(b, shape);
  const targets = [...sb.keys()].filter((i) => sb[i]).map(coords);
  return [...sa.keys()]
    .filter((i) => sa[i])
    .map((i) => {
      const p = coords(i);
      let best = Infinity;
      for (const q of targets)
        best = Math.min(
          best,
          p.reduce((s, v, k) => s + ((v - q[k]) * spacing[k]) ** 2, 0),
        );
      return Math.sqrt(best);
    });
}

describe("metric properties on random 2D/3D pairs with random spacing", () => {
  it("property: the joint-box crop gives exactly medpy's distances on the whole array", () => {
    fc.assert(
      fc.property(nonEmptyPair(), ({ shape, pred, gt, spacing }) => {
        const { predToGt, gtToPred } = surfaceDistances(pred, gt, shape, { spacing });
        assertClose(predToGt, bruteDirected(pred, gt, shape, spacing), { rtol: 1e-12, atol: 0 });
        assertClose(gtToPred, bruteDirected(gt, pred, shape, spacing), { rtol: 1e-12, atol: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it("dice(a, a) = jaccard(a, a) = 1 and every distance metric of (a, a) is 0", () => {
    fc.assert(
      fc.property(nonEmptyPair(), ({ shape, pred, spacing }) => {
        const m = evaluateBinary(pred, pred, shape, { spacing });
        assert.deepEqual(m, { dice: 1, jaccard: 1, hausdorff: 0, hd95: 0, asd: 0, assd: 0 });
      }),
    );
  });

  it("dice, jaccard, hausdorff, hd95, assd are symmetric; jaccard = dice / (2 - dice); hd95 <= hausdorff", () => {
    fc.assert(
      fc.property(nonEmptyPair(), ({ shape, pred, gt, spacing }) => {
        const ab = evaluateBinary(pred, gt, shape, { spacing });
        const ba = evaluateBinary(gt, pred, shape, { spacing });
        assert.equal(ab.dice, ba.dice);
        assert.equal(ab.jaccard, ba.jaccard);
        assert.equal(ab.hausdorff, ba.hausdorff);
        assertClose(ab.hd95, ba.hd95, { rtol: 1e-12, atol: 1e-12 });
        assertClose(ab.assd, ba.assd, { rtol: 1e-12, atol: 1e-12 });
        assertClose(ab.jaccard, ab.dice / (2 - ab.dice), { rtol: 1e-12, atol: 1e-15 });
        assert.ok(ab.hd95 <= ab.hausdorff);
        assert.ok(ab.dice >= 0 && ab.dice <= 1);
      }),
      { numRuns: 200 },
    );
  });

  it("assd = both asd directions weighted by their surface voxel counts", () => {
    fc.assert(
      fc.property(nonEmptyPair(), ({ shape, pred, gt, spacing }) => {
        const np = surface(pred, shape).reduce((s, v) => s + v, 0);
        const ng = surface(gt, shape).reduce((s, v) => s + v, 0);
        const weighted = (np * asd(pred, gt, shape, { spacing }) + ng * asd(gt, pred, shape, { spacing })) / (np + ng);
        assertClose(evaluateBinary(pred, gt, shape, { spacing }).assd, weighted, { rtol: 1e-12, atol: 1e-15 });
      }),
      { numRuns: 200 },
    );
  });

  it("empty maps follow the strict convention", () => {
    fc.assert(
      fc.property(mapPair(), ({ shape, pred, gt }) => {
        const m = evaluateBinary(pred, gt, shape);
        const p = pred.includes(1);
        const g = gt.includes(1);
        if (!p && !g) assert.deepEqual(m, { dice: 1, jaccard: 1, hausdorff: 0, hd95: 0, asd: 0, assd: 0 });
        else if (!p || !g) {
          assert.equal(m.dice, 0);
          assert.equal(m.jaccard, 0);
          assert.ok([m.hausdorff, m.hd95, m.asd, m.assd].every(Number.isNaN));
        } else assert.ok(Number.isFinite(m.hd95) && Number.isFinite(m.asd));
      }),
    );
  });
});
