import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import lcc from "../../test/fixtures/lcc.json" with { type: "json" };
import { assertExact, i32 } from "../../test/fixtures.ts";
import { largestComponent, largestComponentBatch } from "./index.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
const train = lcc.la_train_binary_3d;
const variants = lcc.pancreas_connectivity_variants;

describe("largestComponentBatch", () => {
  it("matches the official LargestCC_pancreas on a [2, 5, 5, 4] batch (26-connectivity default)", () => {
    assertExact(largestComponentBatch(i32(train.input), train.input.shape), train.output.data);
  });

  it("matches the 18- and 6-connectivity variants (connect_mode 2 and 1)", () => {
    const input = i32(train.input);
    assertExact(
      largestComponentBatch(input, train.input.shape, { connectivity: 18 }),
      variants.connect_mode_2_output.data,
    );
    assertExact(
      largestComponentBatch(input, train.input.shape, { connectivity: 6 }),
      variants.connect_mode_1_output.data,
    );
  });

  it("returns an empty batch unchanged", () => {
    const out = train.empty_input_output;
    assertExact(largestComponentBatch(new Int32Array(out.data.length), out.shape), out.data);
  });

  it("never connects samples of a 2D batch (hand table)", () => {
    // [2, 2, 2]: read as a 3D volume the two samples would form one component.
    const m = Uint8Array.from([1, 0, 0, 0, 1, 1, 0, 0]);
    assertExact(largestComponentBatch(m, [2, 2, 2]), [1, 0, 0, 0, 1, 1, 0, 0]);
    assertExact(
      largestComponentBatch(Uint8Array.from([1, 0, 0, 1, 1, 1, 0, 0]), [2, 2, 2], { connectivity: 4 }),
      [1, 0, 0, 0, 1, 1, 0, 0],
    );
  });

  it("equals largestComponent applied to each sample (property)", () => {
    const cases = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
      .chain(([n, h, w]) =>
        fc.uint8Array({ min: 0, max: 1, minLength: n * h * w, maxLength: n * h * w }).map((b) => ({ n, h, w, b })),
      );
    fc.assert(
      fc.property(cases, ({ n, h, w, b }) => {
        const out = largestComponentBatch(b, [n, h, w], { connectivity: 4 });
        for (let s = 0; s < n; s++) {
          const one = largestComponent(b.subarray(s * h * w, (s + 1) * h * w), [h, w], { connectivity: 4 });
          assertExact(out.subarray(s * h * w, (s + 1) * h * w), one);
        }
      }),
    );
  });

  it("rejects bad input with coded errors", () => {
    assert.throws(() => largestComponentBatch(new Uint8Array(4), [2, 2]), code("ERR_SHAPE"));
    assert.throws(() => largestComponentBatch(new Uint8Array(8), [2, 2, 2], { connectivity: 6 }), code("ERR_ARGUMENT"));
  });
});
