import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertExact } from "../../test/fixtures.ts";
import { type Connectivity, connectedComponents } from "./index.ts";

const HOPS: Record<number, number> = { 4: 1, 8: 2, 6: 1, 18: 2, 26: 3 };

/** Voxel coordinates of flat index i in a 2D/3D shape, embedded as [x, y, z]. */
function coords(i: number, shape: readonly number[]): [number, number, number] {
  const [d1, d2] = shape.slice(-2);
  return [Math.floor(i / (d1 * d2)), Math.floor(i / d2) % d1, i % d2];
}

/** True when two distinct voxels are neighbours under the connectivity. */
function touches(i: number, j: number, shape: readonly number[], conn: number): boolean {
  const p = coords(i, shape);
  const q = coords(j, shape);
  const d = p.map((v, k) => Math.abs(v - q[k]));
  return Math.max(...d) === 1 && d.filter((v) => v !== 0).length <= HOPS[conn];
}

/** Neighbour indices of voxel i (all directions). */
function neighbours(i: number, shape: readonly number[], conn: number): number[] {
  const [d0, d1, d2] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const [x, y, z] = coords(i, shape);
  const out: number[] = [];
  for (let a = -1; a <= 1; a++)
    for (let b = -1; b <= 1; b++)
      for (let c = -1; c <= 1; c++) {
        const [u, v, w] = [x + a, y + b, z + c];
        if (u < 0 || v < 0 || w < 0 || u >= d0 || v >= d1 || w >= d2) continue;
        const j = (u * d1 + v) * d2 + w;
        if (j !== i && touches(i, j, shape, conn)) out.push(j);
      }
  return out;
}

/** Reference labelling: breadth-first flood fill started from voxels in row-major order. */
function bfsLabels(bin: ArrayLike<number>, shape: readonly number[], conn: number): Int32Array {
  const labels = new Int32Array(bin.length);
  let next = 0;
  for (let i = 0; i < bin.length; i++) {
    if (bin[i] === 0 || labels[i] !== 0) continue;
    labels[i] = ++next;
    const queue = [i];
    while (queue.length > 0) {
      const v = queue.pop() as number;
      for (const j of neighbours(v, shape, conn)) {
        if (bin[j] !== 0 && labels[j] === 0) {
          labels[j] = next;
          queue.push(j);
        }
      }
    }
  }
  return labels;
}

/** Random binary maps of random 2D/3D shapes with a random fill density, paired with a valid connectivity. */
const binaryCase = fc
  .tuple(
    fc.constantFrom<[number[], Connectivity]>(
      [[0, 0], 4],
      [[0, 0], 8],
      [[0, 0, 0], 6],
      [[0, 0, 0], 18],
      [[0, 0, 0], 26],
    ),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 9 }),
  )
  .chain(([[rank, conn], a, b, c, density]) => {
    const shape = rank.length === 2 ? [a, b] : [a, b, Math.max(1, c - 3)];
    const n = shape.reduce((p, q) => p * q, 1);
    return fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })
      .map((v) => ({ shape, conn, bin: Uint8Array.from(v, (x) => (x < density ? 1 : 0)) }));
  });

describe("connectedComponents", () => {
  it("tells 4- from 8-connectivity on a diagonal (hand table)", () => {
    const diag = Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const four = connectedComponents(diag, [3, 3], { connectivity: 4 });
    assertExact(four.labels, [1, 0, 0, 0, 2, 0, 0, 0, 3]);
    assert.equal(four.count, 3);
    assertExact(four.sizes, [6, 1, 1, 1]);
    const eight = connectedComponents(diag, [3, 3]);
    assertExact(eight.labels, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.equal(eight.count, 1);
    assertExact(eight.sizes, [6, 3]);
    // The anti-diagonal starts later in row-major order: numbering follows the first voxel.
    const anti = connectedComponents(Uint8Array.from([0, 0, 1, 0, 1, 0, 1, 0, 1]), [3, 3], { connectivity: 4 });
    assertExact(anti.labels, [0, 0, 1, 0, 2, 0, 3, 0, 4]);
  });

  it("tells 6, 18 and 26-connectivity apart in 3D (hand table)", () => {
    const edge = new Uint8Array(8); // [2, 2, 2]: voxels (0,0,0) and (0,1,1) share an edge
    edge[0] = 1;
    edge[3] = 1;
    const corner = new Uint8Array(8); // (0,0,0) and (1,1,1) share only a corner
    corner[0] = 1;
    corner[7] = 1;
    const count = (m: Uint8Array, connectivity: Connectivity) =>
      connectedComponents(m, [2, 2, 2], { connectivity }).count;
    assert.deepEqual([count(edge, 6), count(edge, 18), count(edge, 26)], [2, 1, 1]);
    assert.deepEqual([count(corner, 6), count(corner, 18), count(corner, 26)], [2, 2, 1]);
  });

  it("labels a U shape whose arms join late as one component numbered by its first voxel", () => {
    // Provisional labels 1, 2, 3 start on row 0; the U's arms (1 and 2) meet on row 2, so 3 is renumbered 2.
    const u = Uint8Array.from([1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0]);
    const r = connectedComponents(u, [3, 5], { connectivity: 4 });
    assertExact(r.labels, [1, 0, 1, 0, 2, 1, 0, 1, 0, 2, 1, 1, 1, 0, 0]);
    assert.equal(r.count, 2);
    assertExact(r.sizes, [6, 7, 2]);
  });

  it("accepts any numeric dtype (non-zero = foreground) and does not mutate the input", () => {
    const f = Float64Array.from([0.5, 0, -2, 0, 0, 7]);
    const copy = Float64Array.from(f);
    const r = connectedComponents(f, [2, 3], { connectivity: 4 });
    assertExact(r.labels, [1, 0, 2, 0, 0, 2]);
    assertExact(f, copy);
    assertExact(connectedComponents(Int16Array.from(f), [2, 3]).labels, [0, 0, 1, 0, 0, 1]);
  });

  it("handles empty and full maps", () => {
    const empty = connectedComponents(new Uint8Array(12), [2, 3, 2]);
    assert.equal(empty.count, 0);
    assertExact(empty.sizes, [12]);
    const full = connectedComponents(new Uint8Array(12).fill(1), [2, 3, 2], { connectivity: 6 });
    assertExact(full.sizes, [0, 12]);
  });

  it("matches a breadth-first reference labelling exactly (property, all connectivities)", () => {
    fc.assert(
      fc.property(binaryCase, ({ shape, conn, bin }) => {
        assertExact(connectedComponents(bin, shape, { connectivity: conn }).labels, bfsLabels(bin, shape, conn));
      }),
      { numRuns: 300 },
    );
  });

  it("never gives neighbours different labels, keeps components connected, counts consistently (property)", () => {
    fc.assert(
      fc.property(binaryCase, ({ shape, conn, bin }) => {
        const { labels, count, sizes } = connectedComponents(bin, shape, { connectivity: conn });
        assert.equal(sizes.length, count + 1);
        const seen = new Int32Array(count + 1);
        const firsts: number[] = [];
        for (let i = 0; i < labels.length; i++) {
          assert.equal(labels[i] === 0, bin[i] === 0);
          if (seen[labels[i]]++ === 0 && labels[i] !== 0) firsts.push(labels[i]);
          for (const j of neighbours(i, shape, conn)) {
            if (labels[i] !== 0 && labels[j] !== 0) assert.equal(labels[i], labels[j]);
          }
        }
        assertExact(seen, sizes);
        // Numbered by first voxel: labels appear for the first time in increasing order 1, 2, ...
        assertExact(
          firsts,
          Array.from({ length: count }, (_, k) => k + 1),
        );
        // Each component is connected: a flood fill from its first voxel reaches all its voxels.
        for (let k = 1; k <= count; k++) {
          const start = labels.indexOf(k);
          const mask = Uint8Array.from(labels, (v) => (v === k ? 1 : 0));
          const reached = bfsLabels(mask, shape, conn);
          assert.equal(Math.max(...reached), 1, `component ${k} of ${count} is split`);
          assert.equal(reached[start], 1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("rejects bad shapes, data and connectivity with coded errors", () => {
    const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
    assert.throws(() => connectedComponents(new Uint8Array(4), [4]), code("ERR_SHAPE"));
    assert.throws(() => connectedComponents(new Uint8Array(5), [2, 2]), code("ERR_SHAPE"));
    assert.throws(() => connectedComponents([1, 0] as unknown as Uint8Array, [1, 2]), code("ERR_DTYPE"));
    assert.throws(() => connectedComponents(new Uint8Array(4), [2, 2], { connectivity: 6 }), code("ERR_ARGUMENT"));
    assert.throws(
      () => connectedComponents(new Uint8Array(8), [2, 2, 2], { connectivity: 8 }),
      (e: unknown) => (e as { code?: string; fn?: string; arg?: string }).arg === "connectivity",
    );
  });
});
