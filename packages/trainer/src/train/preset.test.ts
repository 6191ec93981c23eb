import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TrainConfigSchema } from "./config.ts";
import { deepMerge, preset } from "./preset.ts";

describe("preset", () => {
  it("has the official ACDC hyper-parameters", () => {
    const c = preset("acdc");
    assert.deepEqual(c.batch, { labeled: 12, unlabeled: 12 });
    assert.equal(c.pretrain.iterations, 10_000);
    assert.equal(c.selftrain.iterations, 30_000);
    assert.deepEqual([c.selftrain.lr, c.selftrain.lrStep], [0.01, 0]);
    assert.deepEqual(c.optimizer, { momentum: 0.9, weightDecay: 1e-4 });
    assert.deepEqual([c.maskRatio, c.uWeight, c.ema.decay, c.ema.scope], [2 / 3, 0.5, 0.99, "all"]);
    assert.deepEqual([c.validation.every, c.seed, c.teacherMode, c.restoreOptimizer], [200, 1337, "train", true]);
    assert.deepEqual([c.patchSize, c.classes, c.diceForm, c.pretrainLoss], [[256, 256], 4, "batch-squared", "mix"]);
    assert.equal(c.quirks.legacyMaskBug, false);
  });

  it("has the official LA hyper-parameters", () => {
    const c = preset("la");
    assert.deepEqual(c.batch, { labeled: 4, unlabeled: 4 });
    assert.deepEqual([c.pretrain.iterations, c.selftrain.iterations], [2_000, 15_000]);
    assert.deepEqual([c.pretrain.lrStep, c.selftrain.lrStep, c.selftrain.lrGamma], [0, 2_500, 0.1]);
    assert.deepEqual(
      [c.ema.scope, c.restoreOptimizer, c.pairing, c.pseudoLabel.mode],
      ["parameters", false, "la", "threshold"],
    );
    assert.deepEqual(
      [c.patchSize, c.classes, c.diceForm, c.pretrainLoss],
      [[112, 112, 80], 2, "per-sample", "supervised"],
    );
  });

  it("merges overrides in depth, arrays replace, undefined deletes", () => {
    const c = preset("synth2d", {
      data: { labeledFraction: undefined, labeledPatients: 3 },
      ema: { decay: 0.9 },
      patchSize: [32, 32],
    });
    assert.equal(c.data.labeledPatients, 3);
    assert.equal(c.data.labeledFraction, undefined);
    assert.deepEqual([c.ema.decay, c.ema.scope], [0.9, "all"]);
    assert.deepEqual(c.patchSize, [32, 32]);
    assert.deepEqual(deepMerge({ a: [1, 2], b: { c: 1 } }, { a: [3] }), { a: [3], b: { c: 1 } });
  });

  it("rejects inconsistent configs", () => {
    assert.throws(() => preset("acdc", { patchSize: [250, 256] }), /multiple of 16/);
    assert.throws(() => preset("acdc", { patchSize: [112, 112, 80] }), /2 entries/);
    assert.throws(() => preset("acdc", { batch: { labeled: 3, unlabeled: 3 } }), /even/);
    assert.throws(() => preset("acdc", { data: { labeledFraction: 0.1 } }), /not both/);
    assert.throws(() => preset("acdc", { teacherMode: "sometimes" as "train" }));
    assert.throws(() => preset("nope" as "acdc"), { code: "ERR_ARGUMENT" });
    assert.equal(TrainConfigSchema.safeParse({}).success, false);
  });
});
