import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { defaultContract2d, defaultContract3d } from "../contract/default-contract.ts";
import type { ModelContract } from "../contract/model-contract-schema.ts";
import { parseContract } from "../contract/parse-contract.ts";
import { zoomNearest } from "../preprocess/zoom-nearest.ts";
import { reverseAxes } from "../tensor/reverse-axes.ts";
import { type ModelRun, segmentImage } from "./segment-image.ts";

/** A "network" that reads the class off the intensity: one-hot probabilities of round(x · (C − 1)). */
const oracle =
  (classes: number, calls: number[][] = []): ModelRun =>
  async (input, shape) => {
    calls.push([...shape]);
    const [b, , ...spatial] = shape;
    const n = spatial.reduce((a, c) => a * c, 1);
    const out = new Float32Array(b * classes * n);
    for (let k = 0; k < b; k++) {
      for (let i = 0; i < n; i++) {
        const c = Math.min(classes - 1, Math.max(0, Math.round(input[k * n + i] * (classes - 1))));
        out[(k * classes + c) * n + i] = 1;
      }
    }
    return out;
  };

/** A stack [S, H, W] of discs: labels 0..C−1 and the image label / (C − 1). */
function phantom(shape: number[], classes: number) {
  const [s, h, w] = shape;
  const label = new Uint8Array(s * h * w);
  for (let z = 0; z < s; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const r = Math.hypot(y - h / 2 - z, x - w / 3);
        label[(z * h + y) * w + x] = r < h / 6 ? classes - 1 : r < h / 4 ? 1 : r < h / 3 && classes > 3 ? 2 : 0;
      }
  return { label, image: Float32Array.from(label, (v) => v / (classes - 1)) };
}

// Geometry only, so the oracle sees the intensities it reads classes from.
const contract2d = (size: [number, number], extra: ModelContract["preprocessing"] = []): ModelContract =>
  parseContract({
    ...defaultContract2d({ size }),
    preprocessing: [...extra, { op: "resize", mode: "nearest", size }],
  });

describe("segmentImage (2D, per slice)", () => {
  it("zooms each slice to the model size and the labels back (the ACDC protocol), one run per slice", async () => {
    const shape = [3, 20, 24];
    const { label, image } = phantom(shape, 4);
    const calls: number[][] = [];
    const r = await segmentImage(contract2d([16, 16]), { data: image, shape }, oracle(4, calls));
    assert.deepEqual(r.shape, shape);
    assert.equal(r.classes, 4);
    assert.equal(r.runs, 3);
    assert.deepEqual(calls, [
      [1, 1, 16, 16],
      [1, 1, 16, 16],
      [1, 1, 16, 16],
    ]);
    const slice = 20 * 24;
    for (let z = 0; z < 3; z++) {
      const l = label.subarray(z * slice, (z + 1) * slice);
      const expected = zoomNearest(zoomNearest(l, [20, 24], [16, 16]), [16, 16], [20, 24]);
      assert.deepEqual(r.labels.subarray(z * slice, (z + 1) * slice), expected);
    }
    const batched = await segmentImage(contract2d([16, 16]), { data: image, shape }, oracle(4), { batch: 2 });
    assert.deepEqual(batched.labels, r.labels);
    assert.equal(batched.runs, 2);
  });

  it("gives a NIfTI-order volume [X, Y, Z] exactly the labels of its [Z, Y, X] stack, without transposing it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 5, max: 21 }),
        fc.integer({ min: 5, max: 21 }),
        fc.boolean(),
        async (s, h, w, crop) => {
          const { image } = phantom([s, h, w], 4);
          const extra: ModelContract["preprocessing"] = [
            { op: "normalize", method: "minmax", scope: "slice" },
            ...(crop ? [{ op: "cropOrPad" as const, size: [h + 3, w - 2], fill: 0 }] : []),
          ];
          const c = contract2d([16, 16], extra);
          const stack = await segmentImage(c, { data: image, shape: [s, h, w] }, oracle(4), { probabilities: true });
          const xyz = reverseAxes(image, [s, h, w]);
          const vol = await segmentImage(c, xyz, oracle(4), { slicesLast: true, probabilities: true });
          assert.deepEqual(vol.shape, [w, h, s]);
          assert.deepEqual(vol.labels, reverseAxes(stack.labels, [s, h, w]).data);
          const n = s * h * w;
          for (let k = 0; k < 4; k++) {
            const back = reverseAxes((vol.probs as Float32Array).subarray(k * n, (k + 1) * n), [w, h, s]).data;
            assert.deepEqual(back, (stack.probs as Float32Array).subarray(k * n, (k + 1) * n));
          }
        },
      ),
      { numRuns: 40, seed: 12 },
    );
  });

  it("keeps the largest component per class when the contract or the caller asks", async () => {
    const shape = [1, 16, 16];
    const image = new Float32Array(256);
    image[0] = 1; // a lone pixel
    for (let y = 6; y < 10; y++) for (let x = 6; x < 10; x++) image[y * 16 + x] = 1;
    const c = contract2d([16, 16]);
    assert.equal((await segmentImage(c, { data: image, shape }, oracle(2))).labels[0], 1);
    const lcc = await segmentImage(c, { data: image, shape }, oracle(2), { largestComponent: true });
    assert.equal(lcc.labels[0], 0);
    assert.equal(
      lcc.labels.reduce((a, b) => a + b, 0),
      16,
    );
  });
});

describe("segmentImage (3D, sliding window)", () => {
  const c3 = (lcc: boolean) =>
    parseContract({
      ...defaultContract3d({ size: [16, 16, 16], stride: [4, 4, 4], largestComponent: lcc }),
      preprocessing: [],
    });

  it("recovers the labels through overlapping zero-padded windows and applies the contract's largest component", async () => {
    const shape = [20, 18, 12];
    const label = new Uint8Array(20 * 18 * 12);
    for (let x = 4; x < 14; x++)
      for (let y = 3; y < 12; y++) for (let z = 2; z < 9; z++) label[(x * 18 + y) * 12 + z] = 1;
    label[(19 * 18 + 17) * 12 + 11] = 1; // a lone voxel in the far corner
    const image = Float32Array.from(label);
    const plain = await segmentImage(c3(false), { data: image, shape }, oracle(2), { threshold: 0.5 });
    assert.deepEqual(plain.labels, label);
    const lcc = await segmentImage(c3(true), { data: image, shape }, oracle(2), { threshold: 0.5 });
    assert.equal(lcc.labels[(19 * 18 + 17) * 12 + 11], 0);
    assert.equal(
      lcc.labels.reduce((a, b) => a + b, 0),
      10 * 9 * 7,
    );
  });

  it("softmaxes logits per window, as the official test averages probabilities", async () => {
    const shape = [16, 16, 16];
    const image = Float32Array.from({ length: 16 ** 3 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const probs = await segmentImage(c3(false), { data: image, shape }, oracle(2));
    const asLogits: ModelRun = async (x, s) => (await oracle(2)(x, s)).map((v) => v * 8);
    const fromLogits = await segmentImage(c3(false), { data: image, shape }, asLogits, { output: "logits" });
    assert.deepEqual(fromLogits.labels, probs.labels);
  });
});

describe("segmentImage refuses", () => {
  it("a run answering the wrong size, a bad batch or threshold (ERR_ARGUMENT); a threshold leaves 4 classes to argmax", async () => {
    const shape = [2, 20, 24];
    const { image: data } = phantom(shape, 4);
    const image = { data, shape };
    const c = contract2d([16, 16]);
    const plain = await segmentImage(c, image, oracle(4));
    assert.deepEqual((await segmentImage(c, image, oracle(4), { threshold: 0.5 })).labels, plain.labels);
    await assert.rejects(segmentImage(c, image, oracle(4), { threshold: 2 }), { code: "ERR_ARGUMENT" });
    await assert.rejects(
      segmentImage(c, image, async () => new Float32Array(7)),
      { code: "ERR_ARGUMENT", message: /returned 7 values/ },
    );
    await assert.rejects(segmentImage(c, image, oracle(2), { batch: 0 }), { code: "ERR_ARGUMENT" });
  });
});

describe("segmentImage: the class decision", () => {
  it("is the plain argmax (ties and NaN to the lowest class, first max wins) for 2 to 6 classes", async () => {
    const h = 16;
    const w = 16;
    const n = h * w;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.oneof(fc.constantFrom(0, 0.5, 1, Number.NaN), fc.float({ noNaN: true })), {
          minLength: 6 * n,
          maxLength: 6 * n,
        }),
        async (classes, values) => {
          const scores = Float32Array.from(values.slice(0, classes * n));
          const seg = await segmentImage(
            contract2d([h, w]),
            { data: new Float32Array(n), shape: [h, w] },
            async () => scores.slice(),
            { largestComponent: false },
          );
          for (let i = 0; i < n; i++) {
            let best = 0;
            let top = scores[i];
            for (let c = 1; c < classes; c++) {
              if (scores[c * n + i] > top) {
                top = scores[c * n + i];
                best = c;
              }
            }
            assert.equal(seg.labels[i], best, `class ${classes}, position ${i}`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
