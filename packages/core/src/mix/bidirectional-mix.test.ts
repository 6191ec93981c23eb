import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import m2 from "../../test/fixtures/mixing_2d.json" with { type: "json" };
import m3 from "../../test/fixtures/mixing_3d.json" with { type: "json" };
import { assertExact, f32, i32, u8 } from "../../test/fixtures.ts";
import { bidirectionalMix } from "./bidirectional-mix.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

/** Splits a fixture batch [2L + 2U, ...] into its labeled and unlabeled halves. */
function halvesOf<T extends Float32Array | Int32Array>(data: T): [T, T] {
  const h = data.length / 2;
  return [data.subarray(0, h) as T, data.subarray(h) as T];
}

describe("bidirectionalMix", () => {
  it("hand table: ACDC and LA pairings on N=2 (S=1), 1x2 images", () => {
    const labeled = { images: Float32Array.of(1, 2, 3, 4), labels: Int32Array.of(1, 1, 2, 2) };
    const unlabeled = { images: Float32Array.of(5, 6, 7, 8), pseudoLabels: Uint8Array.of(3, 3, 0, 0) };
    const M = Uint8Array.of(1, 0);
    const acdc = bidirectionalMix(labeled, unlabeled, M, [2, 1, 1, 2]);
    assertExact(acdc.unlabeledFrame.images, [5, 2]); // uimg_a frame, img_a box
    assertExact(acdc.unlabeledFrame.target, [3, 1]);
    assertExact(acdc.labeledFrame.images, [3, 8]); // img_b frame, uimg_b box
    assertExact(acdc.labeledFrame.target, [2, 0]);
    const la = bidirectionalMix(labeled, unlabeled, M, [2, 1, 1, 2], { pairing: "la" });
    assertExact(la.labeledFrame.images, [1, 6]); // img_a frame, unimg_a box
    assertExact(la.labeledFrame.target, [1, 3]);
    assertExact(la.unlabeledFrame.images, [7, 4]); // unimg_b frame, img_b box
    assertExact(la.unlabeledFrame.target, [0, 2]);
    assert.deepEqual(la.labeledFrame.imageShape, [1, 1, 1, 2]);
    assert.deepEqual(la.labeledFrame.labelShape, [1, 1, 2]);
  });

  it("marks the labeled region and its weights (official mix_loss image/patch weights)", () => {
    const labeled = { images: new Float32Array(4), labels: new Int32Array(4) };
    const unlabeled = { images: new Float32Array(4), pseudoLabels: new Int32Array(4) };
    for (const pairing of ["acdc", "la"] as const) {
      const r = bidirectionalMix(labeled, unlabeled, Uint8Array.of(1, 0), [2, 1, 1, 2], { pairing });
      assert.equal(r.labeledFrame.labeledRegion, "frame");
      assert.deepEqual([r.labeledFrame.frameWeight, r.labeledFrame.boxWeight], [1, 0.5]);
      assert.equal(r.unlabeledFrame.labeledRegion, "box"); // official unlab=True
      assert.deepEqual([r.unlabeledFrame.frameWeight, r.unlabeledFrame.boxWeight], [0.5, 1]);
    }
    const w = bidirectionalMix(labeled, unlabeled, Uint8Array.of(1, 0), [2, 1, 1, 2], { unlabeledWeight: 0.25 });
    assert.deepEqual([w.unlabeledFrame.frameWeight, w.unlabeledFrame.boxWeight], [0.25, 1]);
  });

  it("reproduces the ACDC step (mixing_2d.json, pairing acdc)", () => {
    const { inputs, outputs } = m2.acdc_2d;
    const [lImg, uImg] = halvesOf(f32(inputs.volume_batch));
    const [lLab] = halvesOf(i32(inputs.label_batch));
    const plab = Float32Array.from([...outputs.plab_a.data, ...outputs.plab_b.data]);
    const r = bidirectionalMix(
      { images: lImg, labels: lLab },
      { images: uImg, pseudoLabels: plab },
      u8(outputs.img_mask),
      [4, 1, 12, 12],
    );
    const half = 2 * 144;
    assertExact(r.unlabeledFrame.images, f32(outputs.net_input_unl), "net_input_unl");
    assertExact(r.labeledFrame.images, f32(outputs.net_input_l), "net_input_l");
    assertExact(r.unlabeledFrame.target, i32(outputs.effective_target_unl), "effective_target_unl");
    assertExact(r.labeledFrame.target, i32(outputs.effective_target_l), "effective_target_l");
    // mix_loss(out_unl, plab_a, lab_a, ..., unlab=True); mix_loss(out_l, lab_b, plab_b, ...)
    assertExact(r.unlabeledFrame.frameTarget, i32(outputs.plab_a), "unl frame = plab_a");
    assertExact(r.unlabeledFrame.boxTarget, lLab.subarray(0, half), "unl box = lab_a");
    assertExact(r.labeledFrame.frameTarget, lLab.subarray(half), "l frame = lab_b");
    assertExact(r.labeledFrame.boxTarget, i32(outputs.plab_b), "l box = plab_b");
  });

  it("reproduces the LA step (mixing_3d.json, pairing la)", () => {
    const { inputs, outputs } = m3.la_3d;
    const [lImg, uImg] = halvesOf(f32(inputs.volume_batch));
    const [lLab] = halvesOf(i32(inputs.label_batch));
    const plab = Float32Array.from([...outputs.plab_a.data, ...outputs.plab_b.data]);
    const r = bidirectionalMix(
      { images: lImg, labels: lLab },
      { images: uImg, pseudoLabels: plab },
      u8(outputs.img_mask),
      [4, 1, 8, 8, 6],
      { pairing: "la" },
    );
    const half = 2 * 8 * 8 * 6;
    assertExact(r.labeledFrame.images, f32(outputs.mixl_img), "mixl_img");
    assertExact(r.unlabeledFrame.images, f32(outputs.mixu_img), "mixu_img");
    assertExact(r.labeledFrame.target, i32(outputs.mixl_lab), "mixl_lab");
    assertExact(r.unlabeledFrame.target, i32(outputs.mixu_lab), "mixu_lab");
    // mix_loss(out_l, lab_a, plab_a, ...); mix_loss(out_u, plab_b, lab_b, ..., unlab=True)
    assertExact(r.labeledFrame.frameTarget, lLab.subarray(0, half), "l frame = lab_a");
    assertExact(r.labeledFrame.boxTarget, i32(outputs.plab_a), "l box = plab_a");
    assertExact(r.unlabeledFrame.frameTarget, i32(outputs.plab_b), "u frame = plab_b");
    assertExact(r.unlabeledFrame.boxTarget, lLab.subarray(half), "u box = lab_b");
  });

  it("property: every pixel of each mix comes from the side its mask says, for both pairings", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ min: 0, max: 1, minLength: 6, maxLength: 6 }),
        fc.constantFrom("acdc" as const, "la" as const),
        (M, pairing) => {
          // Labeled images are positive, unlabeled negative; labels likewise tagged.
          const n = 4 * 6;
          const labeled = {
            images: Float32Array.from({ length: n }, (_, i) => i + 1),
            labels: new Int32Array(n).fill(1),
          };
          const unlabeled = {
            images: Float32Array.from({ length: n }, (_, i) => -i - 1),
            pseudoLabels: new Int32Array(n),
          };
          const r = bidirectionalMix(labeled, unlabeled, M, [4, 1, 2, 3], { pairing });
          for (let i = 0; i < 12; i++) {
            const m = M[i % 6];
            assert.equal(r.labeledFrame.images[i] > 0, m === 1);
            assert.equal(r.unlabeledFrame.images[i] > 0, m === 0);
            assert.equal(r.labeledFrame.target[i], m);
            assert.equal(r.unlabeledFrame.target[i], 1 - m);
          }
        },
      ),
    );
  });

  it("errors", () => {
    const L = { images: new Float32Array(8), labels: new Int32Array(8) };
    const U = { images: new Float32Array(8), pseudoLabels: new Int32Array(8) };
    const M = new Uint8Array(4);
    assert.throws(() => bidirectionalMix(L, U, M, [2, 2, 2]), code("ERR_SHAPE"));
    assert.throws(() => bidirectionalMix(L, U, new Uint8Array(8), [1, 1, 2, 2, 2]), code("ERR_SHAPE")); // odd batch
    assert.throws(
      () => bidirectionalMix(L, { ...U, pseudoLabels: new Int32Array(4) }, M, [2, 1, 2, 2]),
      code("ERR_SHAPE"),
    );
    assert.throws(() => bidirectionalMix(L, U, new Uint8Array(3), [2, 1, 2, 2]), code("ERR_SHAPE"));
    assert.throws(
      () => bidirectionalMix({ ...L, labels: new Float32Array(8).fill(0.5) }, U, M, [2, 1, 2, 2]),
      code("ERR_RANGE"),
    );
    // @ts-expect-error: testing a bad value
    assert.throws(() => bidirectionalMix(L, U, M, [2, 1, 2, 2], { pairing: "pancreas" }), code("ERR_ARGUMENT"));
    assert.throws(() => bidirectionalMix(L, U, M, [2, 1, 2, 2], { unlabeledWeight: -1 }), code("ERR_ARGUMENT"));
  });
});
