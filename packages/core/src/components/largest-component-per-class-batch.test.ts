import assert from "node:assert/strict";
import { describe, it } from "node:test";
import lcc from "../../test/fixtures/lcc.json" with { type: "json" };
import { assertExact, i32 } from "../../test/fixtures.ts";
import { largestComponentPerClassBatch } from "./index.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("largestComponentPerClassBatch", () => {
  it("matches the official get_ACDC_2DLargestCC on a [3, 8, 8] batch (ties, diagonal chains, absent classes)", () => {
    const { input, output } = lcc.acdc_2d_multiclass;
    assertExact(largestComponentPerClassBatch(i32(input), input.shape), output.data);
  });

  it("cleans each sample of a 3D batch on its own (hand table)", () => {
    // [2, 1, 2, 2]: sample 0 has class 1 twice (corner-touching), sample 1 has class 2 once.
    const m = Int32Array.from([1, 0, 0, 1, 0, 2, 0, 0]);
    assertExact(largestComponentPerClassBatch(m, [2, 1, 2, 2]), [1, 0, 0, 1, 0, 2, 0, 0]);
    assertExact(largestComponentPerClassBatch(m, [2, 1, 2, 2], { connectivity: 6 }), [1, 0, 0, 0, 0, 2, 0, 0]);
  });

  it("rejects bad input with coded errors", () => {
    assert.throws(() => largestComponentPerClassBatch(new Int32Array(4), [2, 2]), code("ERR_SHAPE"));
    assert.throws(() => largestComponentPerClassBatch(Float32Array.of(1.5, 0), [1, 1, 2]), code("ERR_DTYPE"));
  });
});
