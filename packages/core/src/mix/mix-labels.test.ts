import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import m2 from "../../test/fixtures/mixing_2d.json" with { type: "json" };
import m3 from "../../test/fixtures/mixing_3d.json" with { type: "json" };
import { assertExact, f32, i32, u8 } from "../../test/fixtures.ts";
import { mixLabels } from "./mix-labels.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("mixLabels", () => {
  it("hand table: N=2, 1x3 maps", () => {
    const out = mixLabels(
      Int32Array.of(1, 1, 1, 2, 2, 2),
      Uint8Array.of(3, 3, 3, 0, 0, 0),
      Uint8Array.of(0, 1, 0),
      [2, 1, 3],
    );
    assert.ok(out instanceof Int32Array);
    assertExact(out, [3, 1, 3, 0, 2, 0]);
  });

  it("matches the ACDC effective targets and logged maps (mixing_2d.json)", () => {
    const { inputs, outputs } = m2.acdc_2d;
    const lab = i32(inputs.label_batch);
    const per = 144;
    const [lab_a, lab_b, ulab_a, ulab_b] = [0, 2, 4, 6].map((r) => lab.subarray(r * per, (r + 2) * per));
    const M = u8(outputs.img_mask);
    const shape = [2, 12, 12];
    // Pseudo labels are float32 in the official code.
    assertExact(mixLabels(f32(outputs.plab_a), lab_a, M, shape), i32(outputs.effective_target_unl), "unl");
    assertExact(mixLabels(lab_b, f32(outputs.plab_b), M, shape), i32(outputs.effective_target_l), "l");
    assertExact(mixLabels(ulab_a, lab_a, M, shape), i32(outputs.logged_unl_label), "logged unl");
    assertExact(mixLabels(lab_b, ulab_b, M, shape), i32(outputs.logged_l_label), "logged l");
    assertExact(mixLabels(lab_a, lab_b, M, shape), i32(outputs.pretrain.gt_mixl), "pretrain");
  });

  it("matches the LA mixed labels (mixing_3d.json)", () => {
    const { inputs, outputs } = m3.la_3d;
    const lab = i32(inputs.label_batch);
    const per = 8 * 8 * 6;
    const [lab_a, lab_b] = [0, 2].map((r) => lab.subarray(r * per, (r + 2) * per));
    const M = u8(outputs.img_mask);
    const shape = [2, 8, 8, 6];
    assertExact(mixLabels(lab_a, f32(outputs.plab_a), M, shape), i32(outputs.mixl_lab), "mixl_lab");
    assertExact(mixLabels(f32(outputs.plab_b), lab_b, M, shape), i32(outputs.mixu_lab), "mixu_lab");
    assertExact(mixLabels(lab_a, lab_b, M, shape), i32(outputs.pretrain.label), "pretrain label");
  });

  it("property: ones mask = frame, zeros mask = box, and the two orders partition", () => {
    fc.assert(
      fc.property(
        fc.int32Array({ minLength: 12, maxLength: 12 }),
        fc.int32Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ min: 0, max: 1, minLength: 4, maxLength: 4 }),
        (a, b, m) => {
          const shape = [3, 2, 2];
          assertExact(mixLabels(a, b, new Uint8Array(4).fill(1), shape), a);
          assertExact(mixLabels(a, b, new Uint8Array(4), shape), b);
          const x = mixLabels(a, b, m, shape);
          const y = mixLabels(b, a, m, shape);
          for (let i = 0; i < 12; i++) assert.equal(x[i] + y[i], a[i] + b[i]);
        },
      ),
    );
  });

  it("errors", () => {
    const l = new Int32Array(8);
    const m = new Uint8Array(4);
    assert.throws(() => mixLabels(l, l, m, [8]), code("ERR_SHAPE"));
    assert.throws(() => mixLabels(l, l, m, [1, 2, 2, 2, 1]), code("ERR_SHAPE"));
    assert.throws(() => mixLabels(l, l, new Uint8Array(2), [2, 2, 2]), code("ERR_SHAPE"));
    assert.throws(() => mixLabels(l, new Int32Array(4), m, [2, 2, 2]), code("ERR_SHAPE"));
    assert.throws(() => mixLabels(Float32Array.of(0, 0.5, 0, 0, 0, 0, 0, 0), l, m, [2, 2, 2]), code("ERR_RANGE"));
    assert.throws(() => mixLabels(l, l, Float32Array.of(0, 1, 0.5, 1), [2, 2, 2]), code("ERR_RANGE"));
  });
});
