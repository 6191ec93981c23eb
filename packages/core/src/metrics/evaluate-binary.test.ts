import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertClose } from "../../test/fixtures.ts";
import { asd } from "./asd.ts";
import { dice } from "./dice.ts";
import { evaluateBinary } from "./evaluate-binary.ts";
import { hd95 } from "./hd95.ts";
import { jaccard } from "./jaccard.ts";

// 1x6 rows: pred covers columns 0-2, gt columns 2-4.
const pred = Uint8Array.from([1, 1, 1, 0, 0, 0]);
const gt = Int32Array.from([0, 0, 2, 2, 2, 0]);
const empty = new Uint8Array(6);

describe("evaluateBinary", () => {
  it("hand table: two overlapping 1x3 segments", () => {
    // Every voxel is a surface voxel (rank-2 map with one row). pred->gt: 2, 1, 0; gt->pred: 0, 1, 2.
    const m = evaluateBinary(pred, gt, [1, 6]);
    assertClose([m.dice, m.jaccard, m.hausdorff, m.asd, m.assd], [2 / 6, 1 / 5, 2, 1, 1], { rtol: 1e-15 });
    // concat sorted [0, 0, 1, 1, 2, 2]: h = 4.75 -> 2
    assert.equal(m.hd95, 2);
    assert.deepEqual(Object.keys(evaluateBinary(pred, gt, [1, 6], { metrics: ["hd95", "dice"] })), ["hd95", "dice"]);
  });

  it("hand table: spacing scales the distances", () => {
    assert.equal(evaluateBinary(pred, gt, [1, 6], { spacing: [7, 0.5], metrics: ["hausdorff"] }).hausdorff, 1);
  });

  it("strict convention (default): empty maps", () => {
    assert.deepEqual(evaluateBinary(empty, empty, [2, 3]), {
      dice: 1,
      jaccard: 1,
      hausdorff: 0,
      hd95: 0,
      asd: 0,
      assd: 0,
    });
    for (const [a, b] of [
      [empty, pred],
      [pred, empty],
    ]) {
      const m = evaluateBinary(a, b, [2, 3]);
      assert.equal(m.dice, 0);
      assert.equal(m.jaccard, 0);
      assert.ok(Number.isNaN(m.hd95) && Number.isNaN(m.asd) && Number.isNaN(m.hausdorff) && Number.isNaN(m.assd));
    }
  });

  it("official convention: an empty prediction scores 0 everywhere; an empty gt alone throws for distances", () => {
    const official = { emptyConvention: "official" } as const;
    assert.deepEqual(evaluateBinary(empty, gt, [2, 3], official), {
      dice: 0,
      jaccard: 0,
      hausdorff: 0,
      hd95: 0,
      asd: 0,
      assd: 0,
    });
    assert.deepEqual(evaluateBinary(empty, empty, [2, 3], official), {
      dice: 0,
      jaccard: 0,
      hausdorff: 0,
      hd95: 0,
      asd: 0,
      assd: 0,
    });
    assert.equal(dice(pred, empty, [2, 3], official), 0);
    assert.equal(jaccard(pred, empty, [2, 3], official), 0);
    assert.throws(() => hd95(pred, empty, [2, 3], official), { code: "ERR_ARGUMENT", fn: "hd95", arg: "gt" });
    assert.throws(() => asd(pred, empty, [2, 3], official), { code: "ERR_ARGUMENT", fn: "asd" });
  });

  it("does not mutate its inputs", () => {
    const a = Float32Array.from([0, 0.5, -1, 0, 0, 2]);
    const b = Uint8Array.from([1, 1, 0, 0, 0, 1]);
    evaluateBinary(a, b, [2, 3]);
    assert.deepEqual([...a], [0, 0.5, -1, 0, 0, 2]);
    assert.deepEqual([...b], [1, 1, 0, 0, 0, 1]);
  });

  it("bad input throws named errors", () => {
    assert.throws(() => evaluateBinary(pred, gt, [2, 2]), { code: "ERR_SHAPE", fn: "evaluateBinary", arg: "pred" });
    assert.throws(() => dice(pred, new Uint8Array(5), [2, 3]), { code: "ERR_SHAPE", fn: "dice", arg: "gt" });
    assert.throws(() => hd95([1, 0] as unknown as Uint8Array, gt, [2, 3]), { code: "ERR_DTYPE", arg: "pred" });
    assert.throws(() => asd(pred, gt, [2, 3], { spacing: [1] }), { code: "ERR_SHAPE", arg: "options.spacing" });
    assert.throws(() => evaluateBinary(pred, gt, [2, 3], { emptyConvention: "lenient" as "strict" }), {
      code: "ERR_ARGUMENT",
      arg: "options.emptyConvention",
    });
    assert.throws(() => evaluateBinary(pred, gt, [2, 3], { metrics: ["hd99" as "hd95"] }), {
      code: "ERR_ARGUMENT",
      arg: "options.metrics",
    });
  });
});
