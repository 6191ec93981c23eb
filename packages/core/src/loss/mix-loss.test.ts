import assert from "node:assert/strict";
import { describe, it } from "node:test";
import losses from "../../test/fixtures/losses.json" with { type: "json" };
import mixing2d from "../../test/fixtures/mixing_2d.json" with { type: "json" };
import mixing3d from "../../test/fixtures/mixing_3d.json" with { type: "json" };
import { assertClose, f32, i32 } from "../../test/fixtures.ts";
import { mixLoss } from "./mix-loss.ts";
import { mixLossPresets } from "./mix-loss-presets.ts";

describe("mixLoss — hand table", () => {
  it("weights the frame and the box and halves dice + ce", () => {
    // 1×2×1×2, logits 0 → p = 0.5; frame = voxel 0 (target 0), box = voxel 1 (target 1).
    const r = mixLoss(
      new Float64Array(4),
      Int32Array.from([0, 0]),
      Int32Array.from([1, 1]),
      Uint8Array.from([1, 0]),
      [1, 2, 1, 2],
      { form: "batch-squared" },
    );
    // frame: class 0 → 1 − 1/1.25 = 0.2, class 1 (absent, Z = 0.25) → ≈1; box symmetric. CE = ln 2 in each region.
    assertClose(r.frame.dice, 0.6, { rtol: 1e-9 });
    assertClose(r.box.dice, 0.6, { rtol: 1e-9 });
    assertClose(r.frame.ce, Math.log(2), { rtol: 1e-12 });
    assert.equal(r.frame.weight, 1);
    assert.equal(r.box.weight, 0.5);
    assertClose(r.dice, 0.9, { rtol: 1e-9 });
    assertClose(r.value, (0.9 + 1.5 * Math.log(2)) / 2, { rtol: 1e-9 });
  });
});

describe("mixLoss — official vectors (losses.json)", () => {
  const acdc = losses.acdc_2d;
  const args = [
    f32(acdc.inputs.logits),
    i32(acdc.inputs.target),
    i32(acdc.inputs.target2),
    i32(acdc.inputs.mask),
    acdc.inputs.logits.shape,
  ] as const;
  for (const [variant, legacyMaskBug] of [
    ["current", false],
    ["before_fix_a925e30", true],
  ] as const) {
    const ref = acdc.mix_loss[variant];
    it(`ACDC ${variant}: labeled frame, unlabeled frame, pre-train`, () => {
      const lf = mixLoss(...args, { ...mixLossPresets.acdcLabeledFrame, legacyMaskBug });
      assertClose(lf.dice, ref["labeled_frame_u_weight_0.5"].loss_dice);
      assertClose(lf.ce, ref["labeled_frame_u_weight_0.5"].loss_ce);
      assertClose(lf.value, (lf.dice + lf.ce) / 2, { rtol: 1e-12 });
      const uf = mixLoss(...args, { form: "batch-squared", frameIsUnlabeled: true, legacyMaskBug });
      assertClose(uf.dice, ref["unlabeled_frame_u_weight_0.5_unlab_True"].loss_dice);
      assertClose(uf.ce, ref["unlabeled_frame_u_weight_0.5_unlab_True"].loss_ce);
      const pre = mixLoss(...args, { ...mixLossPresets.acdcPretrain, legacyMaskBug });
      assertClose(pre.dice, ref["pretrain_u_weight_1.0_unlab_True"].loss_dice);
      assertClose(pre.ce, ref["pretrain_u_weight_1.0_unlab_True"].loss_ce);
    });
  }

  it("LA: both orientations and the all-ones mask", () => {
    const la = losses.la_3d;
    const l = f32(la.inputs.logits);
    const t = i32(la.inputs.target);
    const t2 = i32(la.inputs.target2);
    const m = i32(la.inputs.mask);
    const s = la.inputs.logits.shape;
    const ref = la.mix_loss;
    assertClose(mixLoss(l, t, t2, m, s, mixLossPresets.laLabeledFrame).value, ref["labeled_frame_u_weight_0.5"]);
    assertClose(
      mixLoss(l, t, t2, m, s, mixLossPresets.laUnlabeledFrame).value,
      ref["unlabeled_frame_u_weight_0.5_unlab_True"],
    );
    const ones = new Uint8Array(m.length).fill(1);
    assertClose(mixLoss(l, t, t2, ones, s, { form: "per-sample" }).value, ref["all_ones_mask_u_weight_0.5"]);
  });
});

describe("mixLoss — one ACDC self-train / pre-train step (mixing_2d.json)", () => {
  const a = mixing2d.acdc_2d;
  const shape = a.inputs.student_logits_unl.shape;
  const labels = i32(a.inputs.label_batch);
  const hw = 12 * 12;
  const lab = (i: number) => labels.subarray(i * hw, (i + 2) * hw);
  const plabA = i32(a.outputs.plab_a);
  const plabB = i32(a.outputs.plab_b);
  const mask = i32(a.outputs.loss_mask);
  const unlLogits = f32(a.inputs.student_logits_unl);
  const lLogits = f32(a.inputs.student_logits_l);

  for (const [variant, legacyMaskBug] of [
    ["current", false],
    ["before_fix_a925e30", true],
  ] as const) {
    const ref = a.outputs.losses[variant];
    it(`${variant}: unl, l and total`, () => {
      const opt = { legacyMaskBug };
      const unl = mixLoss(unlLogits, plabA, lab(0), mask, shape, { ...mixLossPresets.acdcUnlabeledFrame, ...opt });
      const l = mixLoss(lLogits, lab(2), plabB, mask, shape, { ...mixLossPresets.acdcLabeledFrame, ...opt });
      assertClose(unl.dice, ref.unl_dice);
      assertClose(unl.ce, ref.unl_ce);
      assertClose(l.dice, ref.l_dice);
      assertClose(l.ce, ref.l_ce);
      assertClose(unl.dice + l.dice, ref.loss_dice);
      assertClose(unl.ce + l.ce, ref.loss_ce);
      // ((unl_dice + l_dice) + (unl_ce + l_ce))/2 is the sum of the two values.
      assertClose(unl.value + l.value, ref.loss);
    });

    it(`${variant}: pre-train mix`, () => {
      const pre = a.outputs.pretrain;
      const r = mixLoss(f32(a.inputs.student_logits_pre), lab(0), lab(2), mask, shape, {
        ...mixLossPresets.acdcPretrain,
        legacyMaskBug,
      });
      assertClose(r.dice, pre.losses[variant].loss_dice);
      assertClose(r.ce, pre.losses[variant].loss_ce);
      assertClose(r.value, pre.losses[variant].loss);
    });
  }

  // Each region only reads its own target, so the mixed maps give the same losses (not with the legacy bug, whose
  // class-0 Dice reads the whole frame target).
  it("current: the effective targets give the same losses", () => {
    const effUnl = i32(a.outputs.effective_target_unl);
    const effL = i32(a.outputs.effective_target_l);
    const unl = mixLoss(unlLogits, effUnl, effUnl, mask, shape, mixLossPresets.acdcUnlabeledFrame);
    const l = mixLoss(lLogits, effL, effL, mask, shape, mixLossPresets.acdcLabeledFrame);
    assertClose(unl.value + l.value, a.outputs.losses.current.loss);
    const gt = i32(a.outputs.pretrain.gt_mixl);
    const pre = mixLoss(f32(a.inputs.student_logits_pre), gt, gt, mask, shape, mixLossPresets.acdcPretrain);
    assertClose(pre.value, a.outputs.pretrain.losses.current.loss);
  });
});

describe("mixLoss — one LA self-train step (mixing_3d.json)", () => {
  const a = mixing3d.la_3d;
  const shape = a.inputs.student_logits_l.shape;
  const labels = i32(a.inputs.label_batch);
  const v = 8 * 8 * 6;
  const lab = (i: number) => labels.subarray(i * v, (i + 2) * v);
  const mask = i32(a.outputs.loss_mask);
  it("loss_l, loss_u and the total, from the parts and from the effective labels", () => {
    const lLogits = f32(a.inputs.student_logits_l);
    const uLogits = f32(a.inputs.student_logits_u);
    const l = mixLoss(lLogits, lab(0), i32(a.outputs.plab_a), mask, shape, mixLossPresets.laLabeledFrame);
    const u = mixLoss(uLogits, i32(a.outputs.plab_b), lab(2), mask, shape, mixLossPresets.laUnlabeledFrame);
    assertClose(l.value, a.outputs.loss_l);
    assertClose(u.value, a.outputs.loss_u);
    assertClose(l.value + u.value, a.outputs.loss);
    const effL = i32(a.outputs.mixl_lab);
    const effU = i32(a.outputs.mixu_lab);
    assertClose(mixLoss(lLogits, effL, effL, mask, shape, mixLossPresets.laLabeledFrame).value, a.outputs.loss_l);
    assertClose(mixLoss(uLogits, effU, effU, mask, shape, mixLossPresets.laUnlabeledFrame).value, a.outputs.loss_u);
  });
});

describe("mixLoss — bad input", () => {
  const logits = new Float32Array(8);
  const t = new Int32Array(4);
  const m = new Uint8Array(4);
  const shape = [1, 2, 2, 2];
  it("rejects bad weights, targets, masks and forms with coded errors", () => {
    assert.throws(() => mixLoss(logits, t, t, m, shape, { form: "per-sample", unlabeledWeight: -1 }), {
      code: "ERR_ARGUMENT",
      arg: "unlabeledWeight",
    });
    assert.throws(() => mixLoss(logits, t, Int32Array.from([0, 0, 5, 0]), m, shape, { form: "per-sample" }), {
      code: "ERR_RANGE",
      arg: "boxTarget",
    });
    assert.throws(() => mixLoss(logits, t, t, Float32Array.from([0, 0.5, 1, 1]), shape, { form: "per-sample" }), {
      code: "ERR_RANGE",
      arg: "mask",
    });
    assert.throws(() => mixLoss(logits, t, t, m, shape, undefined as never), { code: "ERR_ARGUMENT", arg: "form" });
  });
});
