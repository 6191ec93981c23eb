import assert from "node:assert/strict";
import { describe, it } from "node:test";
import losses from "../../test/fixtures/losses.json" with { type: "json" };
import mixing3d from "../../test/fixtures/mixing_3d.json" with { type: "json" };
import { assertClose, f32, i32 } from "../../test/fixtures.ts";
import { crossEntropy } from "./cross-entropy.ts";
import { diceLoss } from "./dice-loss.ts";
import { supervisedLoss } from "./supervised-loss.ts";

describe("supervisedLoss", () => {
  it("hand table: uniform logits, one voxel per class → (ln 2 + ~0.5)/2", () => {
    const r = supervisedLoss(new Float64Array(4), Int32Array.from([0, 1]), [1, 2, 1, 2]);
    assertClose(r.ce, Math.log(2), { rtol: 1e-12 });
    assertClose(r.dice, 1 - (1 + 1e-5) / (2 + 1e-5), { rtol: 1e-12 });
    assertClose(r.value, (r.ce + r.dice) / 2, { rtol: 1e-12 });
  });

  it("LA sup_loss and pretrain parts (losses.json)", () => {
    const la = losses.la_3d;
    const r = supervisedLoss(f32(la.inputs.logits), i32(la.inputs.target), la.inputs.logits.shape);
    assertClose(r.value, la.sup_loss);
    assertClose(r.ce, la.pretrain_ce_plus_dice.ce);
    assertClose(r.dice, la.pretrain_ce_plus_dice.dice);
  });

  it("LA pre-train step (mixing_3d.json)", () => {
    const a = mixing3d.la_3d;
    const pre = a.outputs.pretrain;
    const r = supervisedLoss(f32(a.inputs.student_logits_pre), i32(pre.label), a.inputs.student_logits_pre.shape);
    assertClose(r.ce, pre.loss_ce);
    assertClose(r.dice, pre.loss_dice);
    assertClose(r.value, pre.loss);
  });

  it("its gradient is the mean of the CE and Dice gradients", () => {
    const logits = Float64Array.from([0.3, -1, 2, 0.5, 1, 0.2, -0.4, 0.9]);
    const target = Int32Array.from([1, 0, 0, 1]);
    const shape = [1, 2, 2, 2];
    const r = supervisedLoss(logits, target, shape, { form: "batch-squared" });
    const ce = crossEntropy(logits, target, shape);
    const dice = diceLoss(logits, target, shape, { form: "batch-squared" });
    assertClose(r.value, (ce.value + dice.value) / 2, { rtol: 1e-12 });
    assertClose(
      r.grad,
      ce.grad.map((g, i) => (g + dice.grad[i]) / 2),
      { rtol: 1e-12, atol: 1e-15 },
    );
  });

  it("rejects bad labels and smoothing with coded errors", () => {
    assert.throws(() => supervisedLoss(new Float32Array(4), Int32Array.from([0, 2]), [1, 2, 1, 2]), {
      code: "ERR_RANGE",
    });
    assert.throws(() => supervisedLoss(new Float32Array(4), Int32Array.from([0, 1]), [1, 2, 1, 2], { smooth: -1 }), {
      code: "ERR_ARGUMENT",
      arg: "smooth",
    });
  });
});
