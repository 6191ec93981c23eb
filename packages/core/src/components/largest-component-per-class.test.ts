import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import lcc from "../../test/fixtures/lcc.json" with { type: "json" };
import { assertExact } from "../../test/fixtures.ts";
import { type Connectivity, largestComponent, largestComponentPerClass } from "./index.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("largestComponentPerClass", () => {
  it("keeps each class's largest component, background untouched (hand table)", () => {
    // [4, 4]: class 1 has a 3-pixel piece and a pixel touching it diagonally, class 2 two tied 2-pixel pieces.
    const m = Int32Array.from([1, 1, 0, 2, 1, 0, 3, 2, 0, 1, 0, 0, 2, 2, 0, 0]);
    const four = [1, 1, 0, 2, 1, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0];
    assertExact(largestComponentPerClass(m, [4, 4], { connectivity: 4 }), four);
    const eight = [1, 1, 0, 2, 1, 0, 3, 2, 0, 1, 0, 0, 0, 0, 0, 0];
    assertExact(largestComponentPerClass(m, [4, 4]), eight);
  });

  it("does not connect touching pixels of different classes", () => {
    const m = Uint8Array.from([1, 2, 1, 2]); // [1, 4]: no class has a piece larger than one pixel
    assertExact(largestComponentPerClass(m, [1, 4]), [1, 2, 0, 0]);
  });

  it("matches the official get_ACDC_2DLargestCC per sample", () => {
    const { input, output } = lcc.acdc_2d_multiclass;
    const [n, h, w] = input.shape;
    for (let s = 0; s < n; s++) {
      const slice = Int32Array.from(input.data.slice(s * h * w, (s + 1) * h * w));
      assertExact(largestComponentPerClass(slice, [h, w]), output.data.slice(s * h * w, (s + 1) * h * w), `${s}`);
    }
  });

  it("cleans only the listed classes and accepts integer-valued floats", () => {
    const m = Float32Array.from([1, 0, 1, 2, 0, 2]); // [2, 3]
    assertExact(largestComponentPerClass(m, [2, 3], { classes: [1], connectivity: 4 }), [1, 0, 0, 2, 0, 2]);
    assertExact(largestComponentPerClass(m, [2, 3], { connectivity: 4 }), [1, 0, 0, 2, 0, 0]);
  });

  it("equals the sum over classes of largestComponent(map == c) * c (property, all connectivities)", () => {
    const cases = fc
      .tuple(
        fc.constantFrom<[number, Connectivity]>([2, 4], [2, 8], [3, 6], [3, 18], [3, 26]),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
      )
      .chain(([[rank, conn], a, b, c]) => {
        const shape = rank === 2 ? [a, b] : [a, b, c];
        const n = shape.reduce((p, q) => p * q, 1);
        return fc.uint8Array({ min: 0, max: 3, minLength: n, maxLength: n }).map((m) => ({ shape, conn, m }));
      });
    fc.assert(
      fc.property(cases, ({ shape, conn, m }) => {
        const expected = new Int32Array(m.length);
        for (let c = 1; c <= 3; c++) {
          const keep = largestComponent(
            Uint8Array.from(m, (v) => (v === c ? 1 : 0)),
            shape,
            { connectivity: conn },
          );
          for (let i = 0; i < m.length; i++) expected[i] += keep[i] * c;
        }
        assertExact(largestComponentPerClass(m, shape, { connectivity: conn }), expected);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects bad input with coded errors", () => {
    assert.throws(() => largestComponentPerClass(Float32Array.of(0.5, 1), [1, 2]), code("ERR_DTYPE"));
    assert.throws(() => largestComponentPerClass(Float64Array.of(Number.NaN, 1), [1, 2]), code("ERR_DTYPE"));
    assert.throws(() => largestComponentPerClass(new Int32Array(2), [1, 2], { classes: [0] }), code("ERR_ARGUMENT"));
    assert.throws(() => largestComponentPerClass(new Int32Array(2), [1, 2], { classes: [1.5] }), code("ERR_ARGUMENT"));
    assert.throws(() => largestComponentPerClass(new Int32Array(2), [2]), code("ERR_SHAPE"));
  });
});
