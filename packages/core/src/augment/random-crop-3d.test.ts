import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import aug from "../../test/fixtures/augment.json" with { type: "json" };
import { assertExact, f32 } from "../../test/fixtures.ts";
import { createRng } from "../rng/create-rng.ts";
import { forcedDraws } from "./forced-draws.ts";
import { randomCrop3d } from "./random-crop-3d.ts";

describe("randomCrop3d", () => {
  it("crops without padding when every dim is larger (hand table)", () => {
    const x = Int32Array.from({ length: 5 * 5 * 5 }, (_, i) => i);
    const r = randomCrop3d(x, x, [5, 5, 5], [2, 2, 2], { offsets: [1, 2, 3] });
    assert.deepEqual(r.pad, [0, 0, 0]);
    assert.deepEqual([...r.image], [38, 39, 43, 44, 63, 64, 68, 69]);
  });

  it("matches RandomCrop((4, 4, 4)) with padding and the recorded randint calls", () => {
    const ref = aug.random_crop_3d_with_padding;
    const shape = ref.input_image.shape;
    const img = f32(ref.input_image);
    // The label input is not stored; it is the image value mod 2 (checked against the stored output).
    const lab = Uint8Array.from(img, (v) => v % 2);
    const calls: number[][] = [];
    const draws = forcedDraws({ randint: ref.randint_calls.map((c) => c.returned) });
    const spy = {
      random: () => draws.random(),
      randint: (lo: number, hi: number) => {
        calls.push([lo, hi]);
        return draws.randint(lo, hi);
      },
    };
    const r = randomCrop3d(img, lab, shape, [4, 4, 4], { rng: spy, offsetRange: "official" });
    assert.deepEqual(
      calls,
      ref.randint_calls.map((c) => c.args),
    );
    assert.deepEqual(r.pad, [2, 2, 3]);
    assertExact(r.image, ref.image.data, "image");
    assertExact(r.label, ref.label.data, "label");
    assert.ok(r.label instanceof Uint8Array);
  });

  it("stays inside the padded volume and can reach the far end with the full range", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }),
        fc.integer(),
        (shape, seed) => {
          const n = shape[0] * shape[1] * shape[2];
          const x = Float32Array.from({ length: n }, (_, i) => i + 1);
          const r = randomCrop3d(x, x, shape, [4, 3, 2], { rng: createRng(seed) });
          assert.equal(r.image.length, 24);
          r.offsets.forEach((o, i) => {
            assert.ok(o >= 0 && o <= shape[i] + 2 * r.pad[i] - [4, 3, 2][i]);
          });
        },
      ),
    );
    const x = new Float32Array(8 * 8 * 8);
    assert.equal(randomCrop3d(x, x, [8, 8, 8], [4, 4, 4], { offsets: [4, 4, 4] }).offsets[0], 4);
  });

  it("rejects bad input with named codes", () => {
    const x = new Float32Array(27);
    assert.throws(() => randomCrop3d(x, x, [3, 3, 3], [2, 2, 2], {}), { code: "ERR_ARGUMENT" });
    assert.throws(() => randomCrop3d(x, x, [3, 3, 3], [2, 2, 2], { offsets: [0, 0, 99] }), { code: "ERR_ARGUMENT" });
    assert.throws(() => randomCrop3d(x, new Uint8Array(26), [3, 3, 3], [2, 2, 2], { offsets: [0, 0, 0] }), {
      code: "ERR_SHAPE",
    });
    assert.throws(() => randomCrop3d(x, x, [27], [2], { offsets: [0] }), { code: "ERR_SHAPE" });
  });
});
