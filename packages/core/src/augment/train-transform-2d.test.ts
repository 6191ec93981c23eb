import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import aug from "../../test/fixtures/augment.json" with { type: "json" };
import { assertExact, f32, u8 } from "../../test/fixtures.ts";
import { createRng } from "../rng/create-rng.ts";
import { forcedDraws } from "./forced-draws.ts";
import { trainTransform2d } from "./train-transform-2d.ts";

// The RandomGenerator cases start from the 5x4 random_rot_flip_2d inputs (not stored twice in the fixture).
const input = aug.random_rot_flip_2d;

describe("trainTransform2d", () => {
  it("reproduces RandomGenerator([8, 8]) with forced draws", () => {
    for (const c of aug.random_generator.cases) {
      const draws = forcedDraws({ random: c.python_random_values, randint: c.numpy_randint_values });
      const r = trainTransform2d(
        f32(input.input_image),
        u8(input.input_label),
        input.input_image.shape,
        [8, 8],
        draws,
        {
          scipyEdgeQuirk: true,
        },
      );
      assert.deepEqual(draws.remaining(), { random: 0, randint: 0 }, c.desc);
      assertExact(r.image, c.image.data, `${c.desc}: image`);
      assertExact(r.label, c.label.data, `${c.desc}: label`);
      assert.ok(r.image instanceof Float32Array && r.label instanceof Uint8Array);
    }
  });

  it("reports which augmentation ran (hand table)", () => {
    const img = new Float32Array(4);
    const lab = new Uint8Array(4);
    const run = (random: number[], randint: number[]) =>
      trainTransform2d(img, lab, [2, 2], [2, 2], forcedDraws({ random, randint })).applied;
    assert.deepEqual(run([0.9], [3, 0]), { kind: "rotFlip", k: 3, axis: 0 });
    assert.deepEqual(run([0.5, 0.51], [-20]), { kind: "rotate", angle: -20 });
    assert.deepEqual(run([0.1, 0.5], []), { kind: "none" });
  });

  it("always returns the output size, labels from the input label set", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.integer(), (h, w, seed) => {
        const img = Float32Array.from({ length: h * w }, (_, i) => i / (h * w));
        const lab = Uint8Array.from({ length: h * w }, (_, i) => i % 4);
        for (const imageInterpolation of ["nearest", "bilinear"] as const) {
          const r = trainTransform2d(img, lab, [h, w], [6, 10], createRng(seed), { imageInterpolation });
          assert.equal(r.image.length, 60);
          assert.equal(r.label.length, 60);
          for (const v of r.label) assert.ok(v < 4);
          for (const v of r.image) assert.ok(v >= 0 && v < 1);
        }
      }),
    );
  });

  it("rejects bad input with named codes", () => {
    const rng = createRng(1);
    assert.throws(() => trainTransform2d(new Float32Array(4), new Uint8Array(3), [2, 2], [4, 4], rng), {
      code: "ERR_SHAPE",
    });
    assert.throws(() => trainTransform2d(new Uint8Array(4) as never, new Uint8Array(4), [2, 2], [4, 4], rng), {
      code: "ERR_DTYPE",
    });
    assert.throws(
      () =>
        trainTransform2d(new Float32Array(4), new Uint8Array(4), [2, 2], [4, 4], rng, {
          imageInterpolation: "cubic" as never,
        }),
      { code: "ERR_ARGUMENT" },
    );
    assert.throws(() => trainTransform2d(new Float32Array(4), new Uint8Array(4), [2, 2], [4, 4], forcedDraws({})), {
      code: "ERR_ARGUMENT",
    });
  });
});
