import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultContract2d, softmax, zoomNearest } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { evaluateModel } from "./evaluate-model.ts";
import { logitsOf } from "./logits-of.ts";
import { predictVolume2d } from "./predict-volume-2d.ts";
import { predictVolume3d } from "./predict-volume-3d.ts";
import { scoreCase } from "./score-case.ts";
import type { Segmenter } from "./types.ts";

await tf.setBackend("cpu");

/** A "network" whose logits are one-hot of round(x · (C − 1)): it reads the class off the intensity. */
const oracle = (classes: number): Segmenter => ({
  apply: (x) =>
    tf.tidy(() => tf.mul(tf.oneHot(tf.cast(tf.round(tf.mul(tf.squeeze(x, [-1]), classes - 1)), "int32"), classes), 10)),
});

/** A [S, H, W] label volume with a few blobs and its image label / (C − 1). */
function phantom(shape: number[], classes: number) {
  const [s, h, w] = shape;
  const label = new Uint8Array(s * h * w);
  for (let z = 0; z < s; z++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const r = Math.hypot(y - h / 2, x - w / 2);
        label[(z * h + y) * w + x] = r < h / 6 ? classes - 1 : r < h / 4 ? 1 : r < h / 3 && classes > 3 ? 2 : 0;
      }
    }
  }
  const image = Float32Array.from(label, (v) => v / (classes - 1));
  return { label, image };
}

describe("predictVolume2d", () => {
  it("zooms each slice to the network size and the argmax back (nearest, scipy grid)", async () => {
    const shape = [3, 20, 24];
    const { label, image } = phantom(shape, 4);
    const pred = await predictVolume2d(oracle(4), image, shape, { size: [16, 16], batchSize: 2 });
    const slice = 20 * 24;
    for (let z = 0; z < 3; z++) {
      const l = label.subarray(z * slice, (z + 1) * slice);
      const expected = zoomNearest(zoomNearest(l, [20, 24], [16, 16]), [16, 16], [20, 24]);
      assert.deepEqual(pred.subarray(z * slice, (z + 1) * slice), expected);
    }
  });
});

describe("predictVolume3d", () => {
  it("recovers the label through overlapping windows and zero padding (p1 > 0.5)", async () => {
    const shape = [20, 18, 12];
    const { label, image } = phantom(shape, 2);
    const pred = await predictVolume3d(oracle(2), image, shape, { patch: [16, 16, 16], stride: [4, 4, 4] });
    assert.deepEqual(pred, label);
  });

  it("keeps only the largest component when asked", async () => {
    const shape = [16, 16, 16];
    const label = new Uint8Array(16 ** 3);
    label[0] = 1; // a lone voxel far from the blob
    for (let i = 6; i < 10; i++)
      for (let j = 6; j < 10; j++) for (let k = 6; k < 10; k++) label[(i * 16 + j) * 16 + k] = 1;
    const image = Float32Array.from(label);
    const opts = { patch: [16, 16, 16], stride: [16, 16, 16] };
    assert.equal((await predictVolume3d(oracle(2), image, shape, opts))[0], 1);
    const lcc = await predictVolume3d(oracle(2), image, shape, { ...opts, largestComponent: true });
    assert.equal(lcc[0], 0);
    assert.equal(
      lcc.reduce((a, b) => a + b, 0),
      64,
    );
  });
});

describe("scoreCase", () => {
  it("scores a perfect prediction 1 / 1 / 0 / 0 and an empty one with the official zeros", () => {
    const shape = [2, 12, 12];
    const { label } = phantom(shape, 4);
    for (const m of scoreCase(label, label, shape, 4))
      assert.deepEqual(m, { class: m.class, dice: 1, jaccard: 1, hd95: 0, asd: 0 });
    const empty = new Uint8Array(label.length);
    for (const m of scoreCase(empty, label, shape, 4))
      assert.deepEqual([m.dice, m.jaccard, m.hd95, m.asd], [0, 0, 0, 0]);
  });

  it("gives Dice 0 and NaN distances where only the ground truth is empty", () => {
    const gt = new Uint8Array(27);
    const pred = new Uint8Array(27).fill(1);
    const [m] = scoreCase(pred, gt, [3, 3, 3], 2);
    assert.equal(m.dice, 0);
    assert.ok(Number.isNaN(m.hd95) && Number.isNaN(m.asd));
  });
});

describe("evaluateModel", () => {
  it("returns per-case and mean per-class metrics for both protocols", async () => {
    const shape = [4, 16, 16];
    const cases = [0, 1].map((k) => ({ id: `case${k}`, ...phantom(shape, 4), shape }));
    const r = await evaluateModel(oracle(4), cases, { classes: 4, protocol: "slices", size: [16, 16] });
    assert.equal(r.cases.length, 2);
    assert.deepEqual(
      r.perClass.map((m) => [m.class, m.dice, m.hd95]),
      [
        [1, 1, 0],
        [2, 1, 0],
        [3, 1, 0],
      ],
    );
    assert.equal(r.mean.dice, 1);
    const vol = { id: "v", ...phantom([16, 16, 16], 2), shape: [16, 16, 16] };
    const source = { ids: ["v"], get: async () => vol };
    const s = await evaluateModel(oracle(2), source, {
      classes: 2,
      protocol: "sliding",
      size: [16, 16, 16],
      distances: false,
    });
    assert.equal(s.perClass[0].dice, 1);
    assert.ok(Number.isNaN(s.perClass[0].hd95));
  });

  it("measures HD95 and ASD in mm with a spacing (fixed or each case's own), in voxels without", async () => {
    const shape = [16, 16, 16];
    const gt = new Uint8Array(16 ** 3);
    const pred = new Uint8Array(16 ** 3);
    for (let x = 4; x < 10; x++)
      for (let y = 4; y < 12; y++)
        for (let z = 4; z < 12; z++) {
          gt[(x * 16 + y) * 16 + z] = 1;
          pred[((x + 1) * 16 + y) * 16 + z] = 1; // one voxel further along X
        }
    const image = Float32Array.from(pred);
    const opts = { classes: 2, protocol: "sliding" as const, size: [16, 16, 16] };
    const vox = await evaluateModel(oracle(2), [{ id: "a", image, label: gt, shape }], opts);
    assert.equal(vox.perClass[0].hd95, 1);
    assert.equal(vox.unit, "voxel");
    const mm = await evaluateModel(oracle(2), [{ id: "a", image, label: gt, shape }], { ...opts, spacing: [3, 1, 1] });
    assert.equal(mm.perClass[0].hd95, 3);
    assert.equal(mm.unit, "mm");
    const own = await evaluateModel(oracle(2), [{ id: "a", image, label: gt, shape, spacing: [2.5, 1, 1] }], {
      ...opts,
      spacing: "case",
    });
    assert.equal(own.perClass[0].hd95, 2.5);
    assert.deepEqual(own.cases[0].spacing, [2.5, 1, 1]);
  });

  it("runs a model's own contract on a probabilities model exactly as the protocol on its logits", async () => {
    const shape = [3, 20, 24];
    const cases = [{ id: "c", ...phantom(shape, 4), shape }];
    const protocol = await evaluateModel(oracle(4), cases, { classes: 4, protocol: "slices", size: [16, 16] });
    const probs = {
      logits: (x: Float32Array, s: readonly number[]) =>
        softmax(logitsOf(oracle(4))(x, s) as Float32Array, s.with(1, 4)),
    };
    const contract = defaultContract2d({ size: [16, 16] }); // its min-max step is left to the data readers
    const own = await evaluateModel(probs, cases, { classes: 4, contract, output: "probs" });
    assert.deepEqual(own.cases, protocol.cases);
  });

  it("rejects bad options and unlabeled cases with ERR_ARGUMENT", async () => {
    await assert.rejects(evaluateModel(oracle(2), [], { classes: 1, protocol: "slices", size: [16, 16] }), {
      code: "ERR_ARGUMENT",
    });
    const source = {
      ids: ["u"],
      get: async () => ({ image: new Float32Array(8), label: undefined, shape: [2, 2, 2] }),
    };
    await assert.rejects(evaluateModel(oracle(2), source, { classes: 2, protocol: "slices", size: [16, 16] }), {
      code: "ERR_ARGUMENT",
    });
  });
});
