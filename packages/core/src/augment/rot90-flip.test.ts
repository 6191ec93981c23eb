import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import aug from "../../test/fixtures/augment.json" with { type: "json" };
import { assertExact, f32, u8 } from "../../test/fixtures.ts";
import { rot90Flip } from "./rot90-flip.ts";

describe("rot90Flip", () => {
  it("rotates counter-clockwise like np.rot90 (hand table)", () => {
    // [[0, 1, 2], [3, 4, 5]] -> rot90 -> [[2, 5], [1, 4], [0, 3]]
    const r = rot90Flip(Int32Array.from([0, 1, 2, 3, 4, 5]), [2, 3], { k: 1 });
    assert.deepEqual(r.shape, [3, 2]);
    assert.deepEqual([...r.data], [2, 5, 1, 4, 0, 3]);
    const f = rot90Flip(Int32Array.from([0, 1, 2, 3, 4, 5]), [2, 3], { k: 0, axis: 1 });
    assert.deepEqual([...f.data], [2, 1, 0, 5, 4, 3]);
    assert.deepEqual([...rot90Flip(Int32Array.from([0, 1, 2, 3]), [2, 2], { k: -1 }).data], [2, 0, 3, 1]);
  });

  it("matches random_rot_flip for every (k, axis) on 2D image and label", () => {
    const ref = aug.random_rot_flip_2d;
    assert.equal(ref.cases.length, 8);
    for (const c of ref.cases) {
      const shape = ref.input_image.shape;
      const img = rot90Flip(f32(ref.input_image), shape, { k: c.k, axis: c.axis as 0 | 1 });
      const lab = rot90Flip(u8(ref.input_label), shape, { k: c.k, axis: c.axis as 0 | 1 });
      assert.deepEqual(img.shape, c.image.shape);
      assertExact(img.data, c.image.data, `image k=${c.k} axis=${c.axis}`);
      assertExact(lab.data, c.label.data, `label k=${c.k} axis=${c.axis}`);
      assert.ok(lab.data instanceof Uint8Array);
    }
  });

  it("matches RandomRotFlip on a 3D volume (rotation in X, Y; Z carried)", () => {
    const ref = aug.random_rot_flip_3d;
    const shape = ref.input_image.shape;
    const input = f32(ref.input_image);
    const r = rot90Flip(input, shape, { k: ref.k, axis: ref.axis as 0 | 1 });
    assert.deepEqual(r.shape, ref.image.shape);
    assertExact(r.data, ref.image.data, "image");
    // The fixture's label input is not stored; it is image > 10 (checked against the stored output).
    const lab = rot90Flip(
      Uint8Array.from(input, (v) => (v > 10 ? 1 : 0)),
      shape,
      { k: ref.k, axis: ref.axis as 0 | 1 },
    );
    assertExact(lab.data, ref.label.data, "label");
  });

  it("is the identity after four quarter turns, and a flip twice is the identity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (h, w, z, is3d) => {
          const shape = is3d ? [h, w, z] : [h, w];
          const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
          let cur = { data, shape };
          for (let i = 0; i < 4; i++) cur = rot90Flip(cur.data, cur.shape, { k: 1 });
          assert.deepEqual(cur.shape, shape);
          assertExact(cur.data, data);
          for (const axis of [0, 1] as const) {
            const once = rot90Flip(data, shape, { k: 0, axis });
            assertExact(rot90Flip(once.data, once.shape, { k: 0, axis }).data, data);
          }
        },
      ),
    );
  });

  it("equals np.rot90's per-element definition for every k and axis, any shape (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: -5, max: 5 }),
        fc.constantFrom(0 as const, 1 as const, null),
        (h, w, z, k, axis) => {
          const data = Int32Array.from({ length: h * w * z }, (_, i) => i);
          const r = rot90Flip(data, [h, w, z], { k, axis });
          const kk = ((k % 4) + 4) % 4;
          const [oh, ow] = kk % 2 === 0 ? [h, w] : [w, h];
          assert.deepEqual(r.shape, [oh, ow, z]);
          for (let i = 0; i < oh; i++) {
            for (let j = 0; j < ow; j++) {
              const ri = axis === 0 ? oh - 1 - i : i;
              const rj = axis === 1 ? ow - 1 - j : j;
              const [si, sj] = [
                [ri, rj],
                [rj, w - 1 - ri],
                [h - 1 - ri, w - 1 - rj],
                [h - 1 - rj, ri],
              ][kk];
              for (let c = 0; c < z; c++) assert.equal(r.data[(i * ow + j) * z + c], data[(si * w + sj) * z + c]);
            }
          }
        },
      ),
    );
  });

  it("rejects bad input with named codes", () => {
    assert.throws(() => rot90Flip(new Float32Array(5), [2, 3], { k: 1 }), { code: "ERR_SHAPE" });
    assert.throws(() => rot90Flip(new Float32Array(6), [2, 3], { k: 1.5 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => rot90Flip(new Float32Array(6), [2, 3], { k: 1, axis: 2 as 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => rot90Flip(new Float32Array(6), [6], { k: 1 }), { code: "ERR_SHAPE" });
  });
});
