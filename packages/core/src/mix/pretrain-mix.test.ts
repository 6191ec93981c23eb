import assert from "node:assert/strict";
import { describe, it } from "node:test";
import m2 from "../../test/fixtures/mixing_2d.json" with { type: "json" };
import m3 from "../../test/fixtures/mixing_3d.json" with { type: "json" };
import { assertExact, f32, i32, u8 } from "../../test/fixtures.ts";
import { pretrainMix } from "./pretrain-mix.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("pretrainMix", () => {
  it("hand table: img_a frame, img_b box, weights 1 and 1", () => {
    const r = pretrainMix(
      { images: Float32Array.of(1, 2, 3, 4), labels: Uint8Array.of(1, 1, 2, 2) },
      Uint8Array.of(0, 1),
      [2, 1, 1, 2],
    );
    assertExact(r.images, [3, 2]);
    assertExact(r.target, [2, 1]);
    assertExact(r.frameTarget, [1, 1]);
    assertExact(r.boxTarget, [2, 2]);
    assert.equal(r.labeledRegion, "both");
    assert.deepEqual([r.frameWeight, r.boxWeight], [1, 1]);
  });

  it("reproduces the ACDC pre-training mix (mixing_2d.json)", () => {
    const { inputs, outputs } = m2.acdc_2d;
    const per = 144;
    const images = f32(inputs.volume_batch).subarray(0, 4 * per);
    const labels = i32(inputs.label_batch).subarray(0, 4 * per);
    const r = pretrainMix({ images, labels }, u8(outputs.img_mask), [4, 1, 12, 12]);
    assertExact(r.images, f32(outputs.pretrain.net_input), "net_input");
    assertExact(r.target, i32(outputs.pretrain.gt_mixl), "gt_mixl");
    assertExact(r.frameTarget, labels.subarray(0, 2 * per), "lab_a");
    assertExact(r.boxTarget, labels.subarray(2 * per), "lab_b");
  });

  it("reproduces the LA pre-training label (mixing_3d.json)", () => {
    const { inputs, outputs } = m3.la_3d;
    const per = 8 * 8 * 6;
    const images = f32(inputs.volume_batch).subarray(0, 4 * per);
    const labels = i32(inputs.label_batch).subarray(0, 4 * per);
    const r = pretrainMix({ images, labels }, u8(outputs.img_mask), [4, 1, 8, 8, 6]);
    assertExact(r.target, i32(outputs.pretrain.label), "label");
  });

  it("errors", () => {
    const L = { images: new Float32Array(6), labels: new Int32Array(6) };
    assert.throws(() => pretrainMix(L, new Uint8Array(2), [3, 1, 1, 2]), code("ERR_SHAPE")); // odd batch
    assert.throws(() => pretrainMix(L, new Uint8Array(3), [3, 1, 1, 2]), code("ERR_SHAPE"));
    assert.throws(() => pretrainMix(L, new Uint8Array(2), [6, 1]), code("ERR_SHAPE"));
    assert.throws(
      () => pretrainMix({ ...L, labels: new Float64Array(6).fill(Number.NaN) }, new Uint8Array(2), [3, 1, 1, 2]),
      code("ERR_RANGE"),
    );
  });
});
