import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { defaultContract2d, defaultContract3d } from "./default-contract.ts";
import { parseContract } from "./parse-contract.ts";
import { preprocess } from "./preprocess.ts";
import { preprocessShape } from "./preprocess-shape.ts";

const resize2d = parseContract({
  ...defaultContract2d(),
  input: { ...defaultContract2d().input, size: [32, 48] },
  preprocessing: [
    { op: "normalize", method: "minmax" },
    { op: "resize", mode: "bilinear", size: [32, 48] },
  ],
});
const noGeometry2d = parseContract({ ...defaultContract2d(), preprocessing: [] });
const crop3d = parseContract({
  ...defaultContract3d(),
  input: { ...defaultContract3d().input, size: [16, 16, 16] },
  inference: { mode: "sliding-window", stride: [8, 8, 8] },
  preprocessing: [{ op: "cropOrPad", size: [20, 18, 16], fill: 0 }],
});

describe("preprocessShape", () => {
  it("gives the slices and spatial shape of preprocess (hand table)", () => {
    assert.deepEqual(preprocessShape(resize2d, [5, 7]), { slices: 1, spatialShape: [32, 48] });
    assert.deepEqual(preprocessShape(resize2d, [2000000, 1, 1]), { slices: 2000000, spatialShape: [32, 48] });
    assert.deepEqual(preprocessShape(crop3d, [3, 4, 5]), { slices: 1, spatialShape: [20, 18, 16] });
    assert.throws(() => preprocessShape(noGeometry2d, [10, 10]), { code: "ERR_SHAPE" });
    assert.throws(() => preprocessShape(crop3d, [10, 10]), { code: "ERR_SHAPE" });
  });

  it("equals preprocess(...).info for any shape (property)", () => {
    const dims = fc.integer({ min: 1, max: 12 });
    for (const contract of [resize2d, crop3d]) {
      const shapes =
        contract.task === "2d" ? fc.array(dims, { minLength: 2, maxLength: 3 }) : fc.tuple(dims, dims, dims);
      fc.assert(
        fc.property(shapes, (shape) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const { info } = preprocess(contract, { data: new Float32Array(n).map((_, i) => i % 5), shape });
          assert.deepEqual(preprocessShape(contract, shape), { slices: info.slices, spatialShape: info.spatialShape });
        }),
        { numRuns: 40 },
      );
    }
  });
});
