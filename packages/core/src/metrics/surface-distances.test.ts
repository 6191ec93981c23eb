import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { surfaceDistances } from "./surface-distances.ts";

describe("surfaceDistances", () => {
  it("hand table: two single voxels 3 apart on a row", () => {
    const a = Uint8Array.from([1, 0, 0, 0, 0]);
    const b = Uint8Array.from([0, 0, 0, 1, 0]);
    const { predToGt, gtToPred } = surfaceDistances(a, b, [1, 5], { spacing: [1, 0.5] });
    assert.deepEqual([...predToGt, ...gtToPred], [1.5, 1.5]);
  });

  it("empty side: its own set is empty, the other all Infinity", () => {
    const { predToGt, gtToPred } = surfaceDistances(new Uint8Array(4), Uint8Array.from([1, 1, 0, 0]), [2, 2]);
    assert.equal(predToGt.length, 0);
    assert.deepEqual([...gtToPred], [Infinity, Infinity]);
  });

  it("bad input throws named errors", () => {
    const x = new Uint8Array(4);
    assert.throws(() => surfaceDistances(x, new Uint8Array(3), [2, 2]), { code: "ERR_SHAPE" });
    assert.throws(() => surfaceDistances(x, x, [2, 2], { spacing: [1, 0] }), { code: "ERR_ARGUMENT" });
  });
});
