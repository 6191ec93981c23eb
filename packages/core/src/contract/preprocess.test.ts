import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import evalRef from "../../test/fixtures/eval.json" with { type: "json" };
import { assertClose, assertExact, f32 } from "../../test/fixtures.ts";
import { cropOrPad } from "../preprocess/crop-or-pad.ts";
import { normalizeMinMax } from "../preprocess/normalize-min-max.ts";
import { resizeBilinear } from "../preprocess/resize-bilinear.ts";
import { zoomNearest } from "../preprocess/zoom-nearest.ts";
import { defaultContract2d, defaultContract3d } from "./default-contract.ts";
import { parseContract } from "./parse-contract.ts";
import { preprocess } from "./preprocess.ts";

const acdc = evalRef.acdc_test_single_volume;

/** The fixture's stand-in 2D network + argmax on one 256x256 slice: logit_c = -20 (x - c/3)^2 + 0.5 col/256 [c = 2]. */
function standInArgmax(slice: Float32Array, h: number, w: number): Uint8Array {
  const out = new Uint8Array(h * w);
  for (let i = 0; i < h * w; i++) {
    const x = slice[i];
    const col = i % w;
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < 4; c++) {
      const v = -20 * (x - c / 3) ** 2 + (c === 2 ? 0.5 * (col / 256) : 0);
      if (v > bestV) [best, bestV] = [c, v];
    }
    out[i] = best;
  }
  return out;
}

/** An ACDC-protocol contract: nearest zoom to 256x256 with scipy's edge quirk, no normalisation. */
const acdcContract = parseContract({
  ...defaultContract2d(),
  preprocessing: [{ op: "resize", mode: "nearest", size: [256, 256], scipyEdgeQuirk: true }],
});

describe("preprocess (2D, ACDC test_single_volume protocol)", () => {
  it("reproduces the official per-slice prediction with zoomNearest directly", () => {
    const [s, h, w] = acdc.image.shape;
    const img = f32(acdc.image);
    const pred = new Uint8Array(s * h * w);
    for (let k = 0; k < s; k++) {
      const slice = img.subarray(k * h * w, (k + 1) * h * w);
      const big = zoomNearest(slice, [h, w], [256, 256], { scipyEdgeQuirk: true });
      const lab = standInArgmax(big, 256, 256);
      pred.set(zoomNearest(lab, [256, 256], [h, w], { scipyEdgeQuirk: true }), k * h * w);
    }
    assertExact(pred, acdc.prediction.data, "prediction");
  });

  it("reproduces it through the contract: preprocess -> model -> restore", () => {
    const p = preprocess(acdcContract, { data: f32(acdc.image), shape: acdc.image.shape });
    assert.deepEqual(p.inputShape, [3, 1, 256, 256]);
    const labels = new Uint8Array(3 * 256 * 256);
    for (let k = 0; k < 3; k++) {
      labels.set(standInArgmax(p.input.subarray(k * 65536, (k + 1) * 65536), 256, 256), k * 65536);
    }
    const back = p.restore(labels);
    assert.deepEqual(back.shape, acdc.image.shape);
    assert.ok(back.data instanceof Uint8Array);
    assertExact(back.data, acdc.prediction.data, "prediction");
    assert.deepEqual(JSON.parse(JSON.stringify(p.info)), p.info);
  });

  it("normalises, resizes and crops/pads in contract order (hand table)", () => {
    const c = parseContract({
      ...defaultContract2d({ size: [16, 16] }),
      preprocessing: [
        { op: "clip", min: 0, max: 4 },
        { op: "normalize", method: "minmax", scope: "slice" },
        { op: "resize", mode: "nearest", size: [8, 8] },
        { op: "cropOrPad", size: [16, 16], fill: -1 },
      ],
    });
    const data = Float32Array.from([0, 2, 4, 8, 10, 10, 10, 10]);
    const p = preprocess(c, { data, shape: [2, 2, 2] });
    assert.deepEqual(p.inputShape, [2, 1, 16, 16]);
    assert.equal(p.input[0], -1);
    // slice 0: clip -> [0, 2, 4, 4] -> minmax [0, .5, 1, 1]; nearest 2 -> 8 puts 0 at [4, 4] after the pad of 4
    assert.equal(p.input[4 * 16 + 4], 0);
    assert.equal(p.input[11 * 16 + 11], 1);
    // slice 1 is constant after clipping -> zeros
    assert.equal(p.input[256 + 4 * 16 + 4], 0);
    const back = p.restore(new Int32Array(2 * 256).fill(3));
    assert.deepEqual(back.shape, [2, 2, 2]);
    assert.deepEqual([...back.data], [3, 3, 3, 3, 3, 3, 3, 3]);
    assert.deepEqual([...data], [0, 2, 4, 8, 10, 10, 10, 10]);
  });

  it("round-trips shapes: any slice size -> model size -> back to the slice size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (h, w, s, bilinear) => {
          const c = defaultContract2d({ size: [32, 16], imageInterpolation: bilinear ? "bilinear" : "nearest" });
          const data = Float32Array.from({ length: s * h * w }, (_, i) => i);
          const p = preprocess(c, { data, shape: s === 1 ? [h, w] : [s, h, w] });
          assert.deepEqual(p.inputShape, [s, 1, 32, 16]);
          assert.equal(p.input.length, s * 32 * 16);
          const back = p.restore(new Uint8Array(s * 32 * 16).fill(2));
          assert.deepEqual(back.shape, s === 1 ? [h, w] : [s, h, w]);
          for (const v of back.data) assert.equal(v, 2);
        },
      ),
    );
  });
});

describe("preprocess (3D)", () => {
  it("z-scores the volume and keeps its size for the sliding window", () => {
    const c = defaultContract3d({ size: [16, 16, 16], stride: [8, 8, 4] });
    const data = Float32Array.from({ length: 3 * 4 * 5 }, (_, i) => i);
    const p = preprocess(c, { data, shape: [3, 4, 5] });
    assert.deepEqual(p.inputShape, [1, 1, 3, 4, 5]);
    let sum = 0;
    let ss = 0;
    for (const v of p.input) [sum, ss] = [sum + v, ss + v * v];
    assertClose([sum / 60, ss / 60], [0, 1], { atol: 1e-6 });
    const back = p.restore(new Uint8Array(60).fill(1));
    assert.deepEqual(back.shape, [3, 4, 5]);
  });

  it("skips same-size steps with the result of running them (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<"nearest" | "bilinear">("nearest", "bilinear"),
        fc.boolean(),
        fc.constantFrom<"image" | "slice">("image", "slice"),
        (slices, mode, quirk, scope) => {
          const size: [number, number] = [16, 32];
          const contract = parseContract({
            ...defaultContract2d({ size }),
            preprocessing: [
              { op: "normalize", method: "minmax", scope },
              { op: "resize", mode, size, ...(mode === "nearest" ? { scipyEdgeQuirk: quirk } : {}) },
              { op: "cropOrPad", size },
            ],
          });
          const n = size[0] * size[1];
          const image = Float32Array.from({ length: slices * n }, (_, i) => Math.sin(i * 1.7) * 300 + (i % 7));
          const shape = slices === 1 ? [...size] : [slices, ...size];
          const got = preprocess(contract, { data: image, shape });
          // Every step run for real, slice by slice.
          const want = new Float32Array(slices * n);
          const all = normalizeMinMax(image, [slices, ...size]);
          for (let s = 0; s < slices; s++) {
            let x =
              scope === "image"
                ? all.subarray(s * n, (s + 1) * n)
                : normalizeMinMax(image.subarray(s * n, (s + 1) * n), size);
            x =
              mode === "nearest"
                ? zoomNearest(x, size, size, { scipyEdgeQuirk: quirk })
                : resizeBilinear(x, size, size);
            want.set(cropOrPad(x, size, size), s * n);
          }
          assert.deepEqual(got.input, want);
          assert.notEqual(got.input, image);
          const labels = Uint8Array.from({ length: slices * n }, (_, i) => i % 4);
          const back = got.restore(labels);
          assert.deepEqual(back.data, labels);
          assert.notEqual(back.data, labels);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("rejects input of the wrong rank or size with named codes", () => {
    const c3 = defaultContract3d();
    assert.throws(() => preprocess(c3, { data: new Float32Array(4), shape: [2, 2] }), { code: "ERR_SHAPE" });
    assert.throws(() => preprocess(c3, { data: new Float32Array(7), shape: [2, 2, 2] }), { code: "ERR_SHAPE" });
    const bare = parseContract({ ...defaultContract2d({ size: [16, 16] }), preprocessing: [] });
    assert.throws(() => preprocess(bare, { data: new Float32Array(4), shape: [2, 2] }), { code: "ERR_SHAPE" });
    const p = preprocess(defaultContract2d({ size: [16, 16] }), { data: new Float32Array(4), shape: [2, 2] });
    assert.throws(() => p.restore(new Uint8Array(3)), { code: "ERR_SHAPE" });
  });
});
