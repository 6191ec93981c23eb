import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { normalizeMinMax } from "../preprocess/normalize-min-max.ts";
import { normalizeZScore } from "../preprocess/normalize-z-score.ts";
import { defaultContract2d, defaultContract3d } from "./default-contract.ts";
import { normalizeIntensity } from "./normalize-intensity.ts";
import { parseContract } from "./parse-contract.ts";
import { preprocess } from "./preprocess.ts";

const contract2d = (preprocessing: unknown[]) =>
  parseContract({ ...defaultContract2d({ size: [16, 16] }), preprocessing });

const ramp = (n: number, scale = 1, offset = 0) => Float32Array.from({ length: n }, (_, i) => offset + scale * i);

describe("normalizeIntensity", () => {
  it("equals preprocess's model input when the contract's geometry leaves the image as it is", () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1000, max: 1000, noNaN: true }), { minLength: 512, maxLength: 512 }),
        (values) => {
          const image = { data: Float32Array.from(values), shape: [2, 16, 16] };
          for (const scope of ["image", "slice"] as const) {
            const c = contract2d([
              { op: "clip", min: -500, max: 500 },
              { op: "normalize", method: "minmax", scope },
              { op: "resize", mode: "nearest", size: [16, 16] },
            ]);
            assert.deepEqual(normalizeIntensity(c, image), preprocess(c, image).input);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("applies only the steps before the first geometry step, on the full-resolution image", () => {
    const c = defaultContract2d({ size: [16, 16] }); // minmax, then resize to 16x16
    const data = ramp(40 * 24, 3, -7);
    assert.deepEqual(normalizeIntensity(c, { data, shape: [40, 24] }), normalizeMinMax(data, [40, 24]));
  });

  it("scopes a 2D stack as the contract says: the whole stack, or each slice alone", () => {
    const data = Float32Array.from([...ramp(4), ...ramp(4, 10, 100)]);
    const whole = normalizeIntensity(contract2d([{ op: "normalize", method: "minmax" }]), { data, shape: [2, 2, 2] });
    assert.deepEqual(whole, normalizeMinMax(data, [2, 2, 2]));
    const each = normalizeIntensity(contract2d([{ op: "normalize", method: "minmax", scope: "slice" }]), {
      data,
      shape: [2, 2, 2],
    });
    assert.deepEqual([...each], [0, 1 / 3, 2 / 3, 1, 0, 1 / 3, 2 / 3, 1].map(Math.fround));
  });

  it("z-scores a 3D volume as the LA contract does", () => {
    const data = ramp(24, 0.5, 2);
    assert.deepEqual(
      normalizeIntensity(defaultContract3d(), { data, shape: [2, 3, 4] }),
      normalizeZScore(data, [2, 3, 4]),
    );
  });

  it("returns a new float32 array and leaves the source alone, also with no intensity step", () => {
    const data = Int16Array.from([5, 1, 9, 3]);
    const out = normalizeIntensity(contract2d([]), { data, shape: [2, 2] });
    assert.ok(out instanceof Float32Array);
    assert.deepEqual([...out], [5, 1, 9, 3]);
    const f = Float32Array.from([5, 1, 9, 3]);
    const same = normalizeIntensity(contract2d([]), { data: f, shape: [2, 2] });
    assert.notEqual(same, f);
    normalizeIntensity(contract2d([{ op: "normalize", method: "minmax" }]), { data: f, shape: [2, 2] });
    assert.deepEqual([...f], [5, 1, 9, 3]);
  });

  it("refuses an intensity step after a geometry step, and bad shapes, with coded errors", () => {
    const late = contract2d([
      { op: "resize", mode: "nearest", size: [16, 16] },
      { op: "normalize", method: "minmax" },
    ]);
    assert.throws(() => normalizeIntensity(late, { data: ramp(16), shape: [4, 4] }), {
      code: "ERR_ARGUMENT",
      message: /after a geometry step/,
    });
    assert.throws(() => normalizeIntensity(defaultContract3d(), { data: ramp(16), shape: [4, 4] }), {
      name: "ShapeError",
    });
    assert.throws(() => normalizeIntensity(defaultContract2d(), { data: ramp(15), shape: [4, 4] }));
  });
});
