import assert from "node:assert/strict";
import { describe, it } from "node:test";
import losses from "../../test/fixtures/losses.json" with { type: "json" };
import mixing3d from "../../test/fixtures/mixing_3d.json" with { type: "json" };
import { assertClose, f32, i32 } from "../../test/fixtures.ts";
import { crossEntropy } from "./cross-entropy.ts";

describe("crossEntropy — hand table", () => {
  it("uniform logits give ln C per voxel; the mask picks voxels", () => {
    const r = crossEntropy(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0]), Int32Array.from([0, 1]), [1, 4, 1, 2]);
    assertClose(r.map, [Math.log(4), Math.log(4)]);
    assertClose(r.value, Math.log(4), { rtol: 1e-12 });
    // logits [ln 3, 0] for voxel 0 (p = [3/4, 1/4]), target 0 → CE = ln(4/3); voxel 1 masked out.
    const m = crossEntropy(Float64Array.from([Math.log(3), 0, 0, 0]), Int32Array.from([0, 1]), [1, 2, 1, 2], {
      mask: Uint8Array.from([1, 0]),
    });
    assertClose(m.value, Math.log(4 / 3), { rtol: 1e-12 });
    assertClose(m.grad, [-0.25, 0, 0.25, 0], { rtol: 1e-12, atol: 1e-15 });
  });

  it("an all-zero mask gives 0 and a zero gradient", () => {
    const r = crossEntropy(Float64Array.from([1, 2, 3, 4]), Int32Array.from([0, 1]), [1, 2, 1, 2], {
      mask: new Uint8Array(2),
    });
    assert.equal(r.value, 0);
    assert.ok(r.grad.every((g) => g === 0));
  });
});

describe("crossEntropy — official vectors", () => {
  const acdc = losses.acdc_2d;
  it("ACDC CE map and masked mean (losses.json)", () => {
    const r = crossEntropy(f32(acdc.inputs.logits), i32(acdc.inputs.target), acdc.inputs.logits.shape, {
      mask: i32(acdc.inputs.mask),
    });
    assert.ok(r.map instanceof Float32Array);
    assertClose(r.map, acdc.ce_map.data, { what: "ce_map" });
    assertClose(r.value, acdc.ce_masked);
  });

  it("LA plain mean CE (losses.json pretrain_ce_plus_dice, mixing_3d pretrain)", () => {
    const la = losses.la_3d;
    const r = crossEntropy(f32(la.inputs.logits), i32(la.inputs.target), la.inputs.logits.shape);
    assertClose(r.value, la.pretrain_ce_plus_dice.ce);
    const m = mixing3d.la_3d;
    const pre = crossEntropy(
      f32(m.inputs.student_logits_pre),
      i32(m.outputs.pretrain.label),
      m.inputs.student_logits_pre.shape,
    );
    assertClose(pre.value, m.outputs.pretrain.loss_ce);
  });
});

describe("crossEntropy — bad input", () => {
  it("names the argument at fault", () => {
    const logits = new Float32Array(8);
    assert.throws(() => crossEntropy(logits, Int32Array.from([0, 0, 0, -1]), [1, 2, 2, 2]), {
      code: "ERR_RANGE",
      arg: "target",
    });
    assert.throws(() => crossEntropy(logits, new Int32Array(4), [1, 2, 2, 2], { mask: new Uint8Array(5) }), {
      code: "ERR_SHAPE",
      arg: "options.mask",
    });
    assert.throws(() => crossEntropy(logits, new Int32Array(4), [1, 2, 2, 3]), { code: "ERR_SHAPE", arg: "logits" });
  });
});
