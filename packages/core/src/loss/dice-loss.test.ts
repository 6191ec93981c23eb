import assert from "node:assert/strict";
import { describe, it } from "node:test";
import losses from "../../test/fixtures/losses.json" with { type: "json" };
import { assertClose, f32, i32 } from "../../test/fixtures.ts";
import { diceLoss } from "./dice-loss.ts";

const acdc = losses.acdc_2d;
const la = losses.la_3d;

describe("diceLoss — hand table", () => {
  // 1×2×1×2 logits all 0 → p = 0.5 everywhere; target [0, 1].
  const logits = new Float64Array(4);
  const target = Int32Array.from([0, 1]);
  const shape = [1, 2, 1, 2];

  it("batch-squared: I = 0.5, Y = 1, Z = 0.5 per class → 1 − 1/1.5 = 1/3", () => {
    const r = diceLoss(logits, target, shape, { form: "batch-squared" });
    assertClose(r.value, 1 / 3, { rtol: 1e-9 });
    assertClose(r.perClass, [1 / 3, 1 / 3], { rtol: 1e-9 });
  });

  it("per-sample: I = 0.5, U = 2 per class → 1 − (1 + ε)/(2 + ε) ≈ 0.5", () => {
    const r = diceLoss(logits, target, shape, { form: "per-sample" });
    assertClose(r.value, 1 - (1 + 1e-5) / (2 + 1e-5), { rtol: 1e-12 });
    assertClose(r.perSample!, [r.value, r.value], { rtol: 1e-12 });
  });

  it("a masked-out voxel does not count", () => {
    const r = diceLoss(logits, target, shape, { form: "batch-squared", mask: Uint8Array.from([1, 0]) });
    // class 0: I = 0.5, Y = 1, Z = 0.25 → 1 − 1/1.25 = 0.2; class 1: I = 0, Y = 0, Z = 0.25 → 1 − ε/0.25 ≈ 1
    assertClose(r.perClass, [0.2, 1], { rtol: 1e-9 });
  });
});

describe("diceLoss — official vectors (losses.json)", () => {
  const logits = f32(acdc.inputs.logits);
  const shape = acdc.inputs.logits.shape;
  const target = i32(acdc.inputs.target);
  const mask = i32(acdc.inputs.mask);
  const patchMask = mask.map((v) => 1 - v);
  const zero = new Int32Array(mask.length);
  const cases = [
    ["masked_probs", target, mask],
    // The ACDC patch-mask case scores `target` (not target2) on 1 − mask; only that matches the vector.
    ["masked_probs_patch_mask", target, patchMask],
    ["unmasked_probs", target, undefined],
    ["unmasked_logits_softmax_flag", target, undefined],
    ["masked_all_zero_mask", target, zero],
  ] as const;

  for (const [variant, legacyMaskBug] of [
    ["current", false],
    ["before_fix_a925e30", true],
  ] as const) {
    for (const [key, t, m] of cases) {
      it(`ACDC batch-squared ${variant} ${key}`, () => {
        const r = diceLoss(logits, t, shape, { form: "batch-squared", mask: m, legacyMaskBug });
        assertClose(r.value, acdc.dice_loss[variant][key], { what: key });
      });
    }
  }

  it("ACDC per-class terms (current, masked)", () => {
    const r = diceLoss(logits, target, shape, { form: "batch-squared", mask });
    assertClose(r.perClass, acdc.dice_loss_current_masked_per_class.values);
    assertClose(r.value, r.perClass.reduce((a, b) => a + b) / 4, { rtol: 1e-12 });
  });

  it("LA per-sample masked / patch / unmasked / all-zero", () => {
    const l = f32(la.inputs.logits);
    const s = la.inputs.logits.shape;
    const m = i32(la.inputs.mask);
    const t2 = i32(la.inputs.target2);
    const t = i32(la.inputs.target);
    const ref = la.mask_dice_loss;
    assertClose(diceLoss(l, t, s, { form: "per-sample", mask: m }).value, ref.masked);
    assertClose(diceLoss(l, t2, s, { form: "per-sample", mask: m.map((v) => 1 - v) }).value, ref.patch_masked);
    assertClose(diceLoss(l, t, s, { form: "per-sample" }).value, ref.unmasked);
    assertClose(diceLoss(l, t, s, { form: "per-sample", mask: new Uint8Array(m.length) }).value, ref.all_zero_mask);
  });
});

describe("diceLoss — bad input", () => {
  const logits = new Float32Array(8);
  const shape = [1, 2, 2, 2];
  const target = new Int32Array(4);
  it("rejects labels outside [0, C) and non-integers", () => {
    assert.throws(() => diceLoss(logits, Int32Array.from([0, 1, 2, 0]), shape, { form: "per-sample" }), {
      code: "ERR_RANGE",
      fn: "diceLoss",
      arg: "target",
    });
    assert.throws(() => diceLoss(logits, Float32Array.from([0, 0.5, 0, 0]), shape, { form: "per-sample" }), {
      code: "ERR_RANGE",
    });
  });
  it("rejects a non-binary mask, bad lengths, dtypes, ranks and one channel", () => {
    const mask = Uint8Array.from([0, 2, 1, 1]);
    assert.throws(() => diceLoss(logits, target, shape, { form: "per-sample", mask }), { code: "ERR_RANGE" });
    assert.throws(() => diceLoss(logits, new Int32Array(3), shape, { form: "per-sample" }), { code: "ERR_SHAPE" });
    assert.throws(() => diceLoss(new Int32Array(8) as never, target, shape, { form: "per-sample" }), {
      code: "ERR_DTYPE",
    });
    assert.throws(() => diceLoss(logits, target, [2, 2, 2], { form: "per-sample" }), { code: "ERR_SHAPE" });
    assert.throws(() => diceLoss(new Float32Array(4), target, [1, 1, 2, 2], { form: "per-sample" }), {
      code: "ERR_SHAPE",
    });
  });
  it("rejects an unknown form and the legacy flag on the per-sample form", () => {
    assert.throws(() => diceLoss(logits, target, shape, { form: "x" as never }), { code: "ERR_ARGUMENT" });
    assert.throws(() => diceLoss(logits, target, shape, { form: "per-sample", legacyMaskBug: true }), {
      code: "ERR_ARGUMENT",
      arg: "legacyMaskBug",
    });
  });
});
