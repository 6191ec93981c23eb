import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateVolume } from "./evaluate-volume.ts";

describe("evaluateVolume", () => {
  // 2x4 label maps with classes 1 and 2; class 3 absent from both.
  const pred = Uint8Array.from([1, 1, 0, 2, 0, 0, 0, 2]);
  const gt = Uint8Array.from([1, 0, 0, 2, 0, 0, 2, 2]);

  it("hand table: per-class dice and mean", () => {
    const r = evaluateVolume(pred, gt, [2, 4], { classes: [1, 2], metrics: ["dice", "jaccard"] });
    assert.deepEqual(r.perClass, [
      { class: 1, dice: 2 / 3, jaccard: 1 / 2 },
      { class: 2, dice: 4 / 5, jaccard: 2 / 3 },
    ]);
    assert.deepEqual(r.mean, { dice: (2 / 3 + 4 / 5) / 2, jaccard: (1 / 2 + 2 / 3) / 2 });
  });

  it("a class count n scores classes 1..n-1; absent classes follow the convention", () => {
    const strict = evaluateVolume(pred, gt, [2, 4], { classes: 4, metrics: ["dice", "hd95"] });
    assert.deepEqual(
      strict.perClass.map((c) => c.class),
      [1, 2, 3],
    );
    assert.deepEqual(strict.perClass[2], { class: 3, dice: 1, hd95: 0 });
    const official = evaluateVolume(pred, gt, [2, 4], { classes: 4, emptyConvention: "official", metrics: ["dice"] });
    assert.deepEqual(official.perClass[2], { class: 3, dice: 0 });
  });

  it("bad input throws named errors", () => {
    assert.throws(() => evaluateVolume(pred, gt, [2, 4], { classes: 1 }), {
      code: "ERR_ARGUMENT",
      arg: "options.classes",
    });
    assert.throws(() => evaluateVolume(pred, gt, [2, 4], { classes: [1.5] }), { code: "ERR_ARGUMENT" });
    assert.throws(() => evaluateVolume(pred, gt, [3, 4], { classes: 2 }), { code: "ERR_SHAPE", fn: "evaluateVolume" });
  });
});
