import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import lcc from "../../test/fixtures/lcc.json" with { type: "json" };
import { assertExact } from "../../test/fixtures.ts";
import { type Connectivity, connectedComponents, largestComponent } from "./index.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("largestComponent", () => {
  it("keeps the largest component; a tie goes to the first in row-major order (hand table)", () => {
    // Two 2-pixel pieces under 4- and 8-connectivity: the first in row-major order wins the tie.
    const tie = Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]); // [3, 4]
    assertExact(largestComponent(tie, [3, 4], { connectivity: 4 }), [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assertExact(largestComponent(tie, [3, 4]), [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const later = Uint8Array.from([1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0]);
    assertExact(largestComponent(later, [3, 4]), [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0]);
    // A diagonal step: two tied pieces under 4-connectivity, one piece under 8-connectivity.
    const diag = Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 1, 1]); // [3, 3]
    assertExact(largestComponent(diag, [3, 3], { connectivity: 4 }), [1, 0, 0, 1, 0, 0, 0, 0, 0]);
    assertExact(largestComponent(diag, [3, 3], { connectivity: 8 }), diag);
  });

  it("returns all zeros for an empty input", () => {
    assertExact(largestComponent(new Float32Array(12), [2, 3, 2]), new Uint8Array(12));
  });

  it("matches the official getLargestCC per test volume (26-connectivity)", () => {
    const input = lcc.la_train_binary_3d.input;
    const [, x, y, z] = input.shape;
    const size = x * y * z;
    lcc.la_test_binary_3d.outputs_per_volume.forEach((expected, v) => {
      const volume = Int32Array.from(input.data.slice(v * size, (v + 1) * size));
      assertExact(largestComponent(volume, [x, y, z]), expected.data, `volume ${v}`);
    });
  });

  it("keeps a subset of the input whose size is the maximum component size (property)", () => {
    const cases = fc
      .tuple(
        fc.constantFrom<[number, Connectivity]>([2, 4], [2, 8], [3, 6], [3, 18], [3, 26]),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
      )
      .chain(([[rank, conn], a, b, c]) => {
        const shape = rank === 2 ? [a, b] : [a, b, c];
        const n = shape.reduce((p, q) => p * q, 1);
        return fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n }).map((bin) => ({ shape, conn, bin }));
      });
    fc.assert(
      fc.property(cases, ({ shape, conn, bin }) => {
        const kept = largestComponent(bin, shape, { connectivity: conn });
        const { labels, count, sizes } = connectedComponents(bin, shape, { connectivity: conn });
        let total = 0;
        for (let i = 0; i < kept.length; i++) {
          if (kept[i]) assert.equal(bin[i], 1);
          total += kept[i];
        }
        const max = count === 0 ? 0 : Math.max(...sizes.subarray(1));
        assert.equal(total, max);
        if (count > 0) {
          // The kept voxels are exactly the first component of maximum size.
          const best = sizes.subarray(1).indexOf(max) + 1;
          assertExact(
            kept,
            Uint8Array.from(labels, (l) => (l === best ? 1 : 0)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("rejects bad input with coded errors", () => {
    assert.throws(() => largestComponent(new Uint8Array(3), [2, 2]), code("ERR_SHAPE"));
    assert.throws(() => largestComponent(new Uint8Array(4), [2, 2], { connectivity: 26 }), code("ERR_ARGUMENT"));
  });
});
