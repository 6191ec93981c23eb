import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { neighbourhood } from "./connectivity.ts";

describe("neighbourhood", () => {
  it("lists the backward neighbour rows and their reach along the last axis (hand table)", () => {
    const table = (rank: number, conn?: number) => {
      const h = neighbourhood("t", rank, conn);
      return h.rows.map(([a, b], k) => `${a},${b}:${h.reach[k]}`).join(" ");
    };
    assert.equal(table(2, 4), "0,-1:0");
    assert.equal(table(2), "0,-1:1");
    assert.equal(table(3, 6), "-1,0:0 0,-1:0");
    assert.equal(table(3, 18), "-1,-1:0 -1,0:1 -1,1:0 0,-1:1");
    assert.equal(table(3), "-1,-1:1 -1,0:1 -1,1:1 0,-1:1");
    assert.equal(neighbourhood("t", 2, undefined).connectivity, 8);
    assert.equal(neighbourhood("t", 3, undefined).connectivity, 26);
  });

  it("rejects a connectivity of the wrong rank with a coded error naming the function", () => {
    assert.throws(() => neighbourhood("f", 2, 26), { code: "ERR_ARGUMENT", fn: "f", arg: "connectivity" });
    assert.throws(() => neighbourhood("f", 3, 1), { code: "ERR_ARGUMENT" });
  });
});
