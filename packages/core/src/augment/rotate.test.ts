import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import aug from "../../test/fixtures/augment.json" with { type: "json" };
import { assertExact, f32 } from "../../test/fixtures.ts";
import { rotate } from "./rotate.ts";

describe("rotate", () => {
  it("turns a 3x3 grid by 90 degrees counter-clockwise (hand table)", () => {
    const x = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...rotate(x, [3, 3], 90)], [3, 6, 9, 2, 5, 8, 1, 4, 7]);
    assert.deepEqual([...rotate(x, [3, 3], 0)], [...x]);
  });

  it("matches scipy.ndimage.rotate(order=0, reshape=False) for image and label", () => {
    const ref = aug.random_rotate;
    const shape = ref.input_image.shape;
    const img = f32(ref.input_image);
    // The label input is not stored; it is the image value mod 4 (checked against the stored outputs).
    const lab = Uint8Array.from(img, (v) => v % 4);
    for (const c of ref.cases) {
      assertExact(rotate(img, shape, c.angle_deg), c.image.data, `image ${c.angle_deg} deg`);
      assertExact(rotate(lab, shape, c.angle_deg), c.label.data, `label ${c.angle_deg} deg`);
    }
  });

  it("rotates every Z slice of a volume the same way", () => {
    const ref = aug.random_rotate;
    const [h, w] = ref.input_image.shape;
    const img = f32(ref.input_image);
    const vol = new Float32Array(h * w * 2);
    for (let i = 0; i < h * w; i++) [vol[2 * i], vol[2 * i + 1]] = [img[i], -img[i]];
    const out = rotate(vol, [h, w, 2], 13);
    const want = ref.cases.find((c) => c.angle_deg === 13)!.image.data;
    for (let i = 0; i < h * w; i++) assert.deepEqual([out[2 * i], -out[2 * i + 1] || 0], [want[i], want[i]]);
  });

  it("order 1 is exact at 0 degrees and keeps values within the input range", () => {
    fc.assert(
      fc.property(fc.integer({ min: -45, max: 45 }), fc.integer({ min: 2, max: 7 }), (angle, n) => {
        const x = Float32Array.from({ length: n * n }, (_, i) => (i * 7) % 5);
        const r = rotate(x, [n, n], angle, { order: 1 });
        for (const v of r) assert.ok(v >= 0 && v <= 4 + 1e-6);
        assertExact(rotate(x, [n, n], 0, { order: 1 }), x);
      }),
    );
  });

  it("rejects bad input with named codes", () => {
    assert.throws(() => rotate(new Float32Array(4), [2, 2], Number.NaN), { code: "ERR_ARGUMENT" });
    assert.throws(() => rotate(new Uint8Array(4), [2, 2], 5, { order: 1 }), { code: "ERR_DTYPE" });
    assert.throws(() => rotate(new Float32Array(4), [2, 2], 5, { order: 3 as 1 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => rotate(new Float32Array(3), [2, 2], 5), { code: "ERR_SHAPE" });
  });
});
