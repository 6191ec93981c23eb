import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createRng } from "../rng/create-rng.ts";
import { drawCardiacPatient } from "./cardiac-patient.ts";
import { synthSlice2d } from "./synth-slice-2d.ts";

/** Every LV pixel's 4-neighbours are LV or myocardium; RV never touches LV. */
function lvEnclosed(label: Uint8Array, H: number, W: number): boolean {
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (label[y * W + x] !== 3) continue;
      for (const [ny, nx] of [
        [y - 1, x],
        [y + 1, x],
        [y, x - 1],
        [y, x + 1],
      ]) {
        if (ny < 0 || nx < 0 || ny >= H || nx >= W) return false;
        const n = label[ny * W + nx];
        if (n !== 3 && n !== 2) return false;
      }
    }
  }
  return true;
}

const meanOf = (image: Float32Array, label: Uint8Array, c: number) => {
  let s = 0;
  let n = 0;
  for (let i = 0; i < label.length; i++) {
    if (label[i] !== c) continue;
    s += image[i];
    n++;
  }
  return s / n;
};

describe("synthSlice2d", () => {
  it("draws LV inside the myocardium, RV outside, image in [0, 1], for any size and seed", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 24, max: 96 }),
        fc.integer({ min: 24, max: 96 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, H, W, position) => {
          const { image, label, shape } = synthSlice2d(createRng(seed), { size: [H, W], position });
          assert.deepEqual(shape, [H, W]);
          assert.equal(image.length, H * W);
          assert.ok(lvEnclosed(label, H, W));
          assert.ok(label.includes(3) && label.includes(2));
          for (const v of image) assert.ok(v >= 0 && v <= 1);
          for (const v of label) assert.ok(v <= 3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("makes the blood pools bright and the myocardium dark", () => {
    for (let seed = 0; seed < 20; seed++) {
      const { image, label } = synthSlice2d(createRng(seed), { position: 0.3, blurProbability: 0 });
      const myo = meanOf(image, label, 2);
      assert.ok(meanOf(image, label, 3) > myo + 0.15, `seed ${seed}`);
      if (label.includes(1)) assert.ok(meanOf(image, label, 1) > myo + 0.1, `seed ${seed}`);
    }
  });

  it("shrinks the LV and the RV from base to apex within a patient", () => {
    for (let seed = 0; seed < 10; seed++) {
      const patient = drawCardiacPatient(createRng(seed));
      const area = (t: number, c: number) =>
        synthSlice2d(createRng(1), { patient, position: t }).label.reduce((n, v) => n + (v === c ? 1 : 0), 0);
      assert.ok(area(0, 3) > area(0.5, 3) && area(0.5, 3) > area(1, 3));
      assert.ok(area(0, 1) > area(0.9, 1));
    }
  });

  it("does not mutate the patient and replays from the same generator state", () => {
    const patient = drawCardiacPatient(createRng(3));
    const copy = JSON.stringify(patient);
    const a = synthSlice2d(createRng(5), { patient, position: 0.4 });
    const b = synthSlice2d(createRng(5), { patient, position: 0.4 });
    assert.deepEqual(a, b);
    assert.equal(JSON.stringify(patient), copy);
  });

  it("rejects bad options with coded errors", () => {
    const rng = createRng(0);
    assert.throws(() => synthSlice2d(rng, { size: [0, 5] }), { code: "ERR_SHAPE" });
    assert.throws(() => synthSlice2d(rng, { size: [64] }), { code: "ERR_SHAPE" });
    assert.throws(() => synthSlice2d(rng, { size: [4, 64] }), { code: "ERR_ARGUMENT" });
    assert.throws(() => synthSlice2d(rng, { position: 1.5 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => synthSlice2d(rng, { blurProbability: -1 }), { code: "ERR_ARGUMENT" });
  });
});
