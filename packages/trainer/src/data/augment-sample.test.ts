import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng, forcedDraws, trainTransform2d, trainTransform3d } from "@bcpseg/core";
import fixtures from "../../../core/test/fixtures/augment.json" with { type: "json" };
import { augmentSample2d, augmentSample3d, trainTransform } from "./augment-sample.ts";
import { loadBatch } from "./load-batch.ts";
import { makeBatch } from "./make-batch.ts";
import { SynthDataset2d, SynthDataset3d } from "./synth-dataset.ts";

const slice = {
  image: Float32Array.from({ length: 6 * 5 }, (_, i) => i / 30),
  label: Uint8Array.from({ length: 6 * 5 }, (_, i) => i % 4),
  shape: [6, 5],
};

describe("augmentSample2d", () => {
  it("reproduces RandomGenerator([8, 8]) with forced draws (reference vectors)", () => {
    // The RandomGenerator cases start from the random_rot_flip_2d input.
    const input = fixtures.random_rot_flip_2d;
    const sample = {
      image: Float32Array.from(input.input_image.data),
      label: Uint8Array.from(input.input_label.data),
      shape: input.input_image.shape,
    };
    for (const c of fixtures.random_generator.cases) {
      const draws = forcedDraws({ random: c.python_random_values, randint: c.numpy_randint_values });
      const out = augmentSample2d(sample, [8, 8], draws, { scipyEdgeQuirk: true });
      assert.deepEqual(draws.remaining(), { random: 0, randint: 0 }, c.desc);
      assert.deepEqual([...out.image], c.image.data, c.desc);
      assert.deepEqual([...out.label!], c.label.data, c.desc);
    }
  });

  it("is core's trainTransform2d (same draws, same output)", () => {
    const ours = augmentSample2d(slice, [8, 8], createRng(3));
    const core = trainTransform2d(slice.image, slice.label, slice.shape, [8, 8], createRng(3));
    assert.deepEqual(ours.shape, [8, 8]);
    assert.deepEqual([...ours.image], [...core.image]);
    assert.deepEqual([...ours.label!], [...core.label]);
  });

  it("draws the same numbers for an unlabeled sample and returns no label", () => {
    const rng = createRng(11);
    const out = augmentSample2d({ ...slice, label: undefined }, [8, 8], rng);
    const ref = createRng(11);
    augmentSample2d(slice, [8, 8], ref);
    assert.equal(out.label, undefined);
    assert.deepEqual(rng.state(), ref.state());
  });

  it("follows forced draws: rot90 k=1 then nearest resize to the same size is rot90", () => {
    const out = augmentSample2d(slice, [5, 6], forcedDraws({ random: [0.9], randint: [1, 1] }));
    // rot90 (k=1) of [6, 5] → [5, 6], then flip along axis 1; nearest resize to [5, 6] is the identity.
    const rot = (r: number, c: number) => slice.label[c * 5 + (4 - r)];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 6; c++) assert.equal(out.label![r * 6 + c], rot(r, 5 - c));
  });
});

describe("augmentSample3d", () => {
  it("is core's trainTransform3d: rot-flip then crop to the patch", () => {
    const vol = {
      image: Float32Array.from({ length: 6 * 6 * 5 }, (_, i) => i),
      label: Uint8Array.from({ length: 6 * 6 * 5 }, (_, i) => i % 2),
      shape: [6, 6, 5],
    };
    const ours = augmentSample3d(vol, [4, 4, 3], createRng(5));
    const core = trainTransform3d(vol.image, vol.label, vol.shape, [4, 4, 3], createRng(5));
    assert.deepEqual(ours.shape, [4, 4, 3]);
    assert.deepEqual([...ours.image], [...core.image]);
    assert.deepEqual([...ours.label!], [...core.label]);
  });
});

describe("makeBatch / loadBatch", () => {
  it("stacks [N, 1, H, W] images and [N, H, W] Int32 labels, zeros for unlabeled", () => {
    const b = makeBatch([slice, { ...slice, label: undefined }]);
    assert.deepEqual(b.shape, [2, 1, 6, 5]);
    assert.deepEqual(b.labelShape, [2, 6, 5]);
    assert.ok(b.images instanceof Float32Array && b.labels instanceof Int32Array);
    assert.deepEqual([...b.images.slice(30)], [...slice.image]);
    assert.deepEqual([...b.labels.slice(0, 30)], [...slice.label]);
    assert.ok(b.labels.slice(30).every((v) => v === 0));
    assert.deepEqual(b.labeled, [true, false]);
  });

  it("rejects mixed shapes and an empty list", () => {
    assert.throws(() => makeBatch([slice, { ...slice, shape: [5, 6] }]), { code: "ERR_SHAPE" });
    assert.throws(() => makeBatch([]), { code: "ERR_ARGUMENT" });
  });

  it("loads and augments 2-D and 3-D batches from a dataset", async () => {
    const ds2 = new SynthDataset2d({ patients: 2, slicesPerPatient: 3, size: [24, 20], seed: 1 });
    const b2 = await loadBatch(ds2, [4, 0, 5], trainTransform(2, [16, 16], createRng(0)));
    assert.deepEqual(b2.shape, [3, 1, 16, 16]);
    const ds3 = new SynthDataset3d({ count: 2, size: [16, 16, 12], seed: 1 });
    const b3 = await loadBatch(ds3, [1, 0], trainTransform(3, [8, 8, 8], createRng(0)));
    assert.deepEqual(b3.shape, [2, 1, 8, 8, 8]);
    assert.deepEqual(b3.labelShape, [2, 8, 8, 8]);
    assert.ok(b3.labels.every((v) => v === 0 || v === 1));
  });
});
