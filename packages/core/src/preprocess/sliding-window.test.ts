import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import evalRef from "../../test/fixtures/eval.json" with { type: "json" };
import { assertClose, assertExact, f32 } from "../../test/fixtures.ts";
import { slidingWindowInference, slidingWindowInferenceAsync } from "./sliding-window-inference.ts";
import { slidingWindowPlan } from "./sliding-window-plan.ts";
import { slidingWindowWeights } from "./sliding-window-weights.ts";

/** The fixture's stand-in network: logits [0, 4 (x - mean(patch))], softmax → [p0, p1]. */
function standIn(patch: Float32Array): Float32Array {
  let sum = 0;
  for (const v of patch) sum += v;
  const mean = sum / patch.length;
  const out = new Float32Array(2 * patch.length);
  patch.forEach((v, i) => {
    const p1 = 1 / (1 + Math.exp(-4 * (v - mean)));
    out[i] = 1 - p1;
    out[patch.length + i] = p1;
  });
  return out;
}

describe("slidingWindowPlan", () => {
  it("pads small axes (left = pad // 2) and places the last window flush (hand table)", () => {
    const p = slidingWindowPlan([10, 3, 112], [4, 6, 112], [3, 3, 4]);
    assert.deepEqual(p.padBefore, [0, 1, 0]);
    assert.deepEqual(p.padAfter, [0, 2, 0]);
    assert.deepEqual(p.paddedShape, [10, 6, 112]);
    assert.deepEqual(p.starts, [[0, 3, 6], [0], [0]]);
    assert.equal(p.count, 3);
    // LA: 130 wide, patch 112, stride 18 -> ceil(18 / 18) + 1 = 2 windows at 0, 18
    assert.deepEqual(slidingWindowPlan([130], [112], 18).starts, [[0, 18]]);
    assert.deepEqual(slidingWindowPlan([131], [112], 18).starts, [[0, 18, 19]]);
  });

  it("covers every voxel at least once (weights >= 1)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 })),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        (axes) => {
          const plan = slidingWindowPlan(
            axes.map((a) => a[0]),
            axes.map((a) => a[1]),
            axes.map((a) => Math.min(a[2], a[1])),
          );
          const w = slidingWindowWeights(plan);
          for (const v of w) assert.ok(v >= 1);
          plan.starts.forEach((s, i) => {
            assert.equal(s[s.length - 1] + plan.patch[i], plan.paddedShape[i]);
          });
        },
      ),
    );
  });
});

describe("slidingWindowInference", () => {
  for (const c of evalRef.la_sliding_window.cases) {
    it(`matches test_single_case (${c.name}): mean foreground probability and label map`, async () => {
      const shape = c.image.shape;
      const plan = slidingWindowPlan(shape, c.patch_size, [c.stride_xy, c.stride_xy, c.stride_z]);
      const r = slidingWindowInference(f32(c.image), shape, plan, standIn);
      assert.deepEqual(r.shape, [2, ...shape]);
      const n = r.probs.length / 2;
      const p1 = r.probs.subarray(n);
      assertClose(p1, c.score_map_channel0.data, { rtol: 1e-5, atol: 1e-6, what: "score" });
      assertExact(
        Array.from(p1, (v) => (v > 0.5 ? 1 : 0)),
        c.label_map.data,
        "label_map",
      );
      const a = await slidingWindowInferenceAsync(f32(c.image), shape, plan, async (p) => standIn(p));
      assertExact(a.probs, r.probs, "async");
    });
  }

  it("averages a constant model to that constant and crops the padding (hand table)", () => {
    const plan = slidingWindowPlan([3, 5], [4, 4], 2);
    const r = slidingWindowInference(new Float32Array(15), [3, 5], plan, (p) => new Float32Array(p.length).fill(0.25));
    assert.deepEqual(r.shape, [1, 3, 5]);
    for (const v of r.probs) assert.equal(v, 0.25);
  });

  it("rejects bad input with named codes", () => {
    const plan = slidingWindowPlan([4, 4], [2, 2], 2);
    assert.throws(() => slidingWindowInference(new Float32Array(16), [4, 5], plan, standIn), { code: "ERR_SHAPE" });
    assert.throws(() => slidingWindowInference(new Float32Array(16), [4, 4], plan, () => new Float32Array(3)), {
      code: "ERR_SHAPE",
    });
    assert.throws(() => slidingWindowPlan([4, 4], [2, 2], 0), { code: "ERR_SHAPE" });
    assert.throws(() => slidingWindowPlan([4, 4], [2], 1), { code: "ERR_SHAPE" });
    assert.throws(() => slidingWindowPlan([9, 9], [2, 2], 3), { code: "ERR_ARGUMENT" });
  });
});
