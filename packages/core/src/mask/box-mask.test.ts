import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import masks from "../../test/fixtures/masks.json" with { type: "json" };
import { assertExact, u8 } from "../../test/fixtures.ts";
import { createRng, type Rng } from "../rng/create-rng.ts";
import { boxMask } from "./box-mask.ts";
import { lossMask } from "./loss-mask.ts";

interface Call {
  args: number[];
  returned: number;
}

/** An Rng that replays the official randint calls, asserting each call's bounds. */
function scriptedRng(calls: Call[]): Rng & { left: () => number } {
  let i = 0;
  const no = (): never => {
    throw new Error("scriptedRng: only randint is scripted");
  };
  return {
    randint(low, high) {
      const call = calls[i++];
      assert.ok(call, `unexpected randint(${low}, ${high})`);
      assert.deepEqual([low, high], call.args, `randint call ${i - 1} bounds`);
      return call.returned;
    },
    nextUint32: no,
    fillUint32: no,
    random: no,
    normal: no,
    state: no,
    fork: no,
    left: () => calls.length - i,
  };
}

const sum = (a: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i];
  return total;
};

describe("boxMask", () => {
  it("hand table: 4x6, ratio 1/2, offsets [1, 2]", () => {
    const { mask, patch, offsets, shape } = boxMask([4, 6], { ratio: 0.5, offsets: [1, 2] });
    assert.deepEqual(patch, [2, 3]);
    assert.deepEqual(offsets, [1, 2]);
    assert.deepEqual(shape, [4, 6]);
    // biome-ignore format: the mask as a grid
    assertExact(mask, [
      1, 1, 1, 1, 1, 1,
      1, 1, 0, 0, 0, 1,
      1, 1, 0, 0, 0, 1,
      1, 1, 1, 1, 1, 1,
    ]);
  });

  it("hand table: 3D 3x3x3, ratio 2/3, offsets [1, 0, 1]", () => {
    const { mask, patch } = boxMask([3, 3, 3], { offsets: [1, 0, 1] });
    assert.deepEqual(patch, [2, 2, 2]);
    const zeros = [...mask.keys()].filter((i) => mask[i] === 0);
    // (x, y, z) in {1,2} x {0,1} x {1,2} -> x*9 + y*3 + z
    assert.deepEqual(zeros, [10, 11, 13, 14, 19, 20, 22, 23]);
  });

  it("reproduces generate_mask_2d (official range, replayed draws)", () => {
    for (const c of masks.generate_mask_2d.cases) {
      const [n, , h, w] = c.input_shape_NCHW;
      const rng = scriptedRng(c.randint_calls);
      const box = boxMask([h, w], { rng, offsetRange: "official" });
      assert.equal(rng.left(), 0);
      assert.deepEqual(box.patch, c.patch_size);
      assert.deepEqual(box.offsets, c.offsets_w_h);
      assertExact(box.mask, u8(c.img_mask), "img_mask");
      assertExact(lossMask(box.mask, [h, w], n), u8(c.loss_mask), "loss_mask");
      // The same offsets given explicitly give the same mask.
      assertExact(boxMask([h, w], { offsets: c.offsets_w_h }).mask, u8(c.img_mask), "explicit");
    }
  });

  it("reproduces the 256x256 summaries", () => {
    for (const c of masks.generate_mask_2d_256_summary.cases) {
      const [n, , h, w] = c.input_shape_NCHW;
      const box = boxMask([h, w], { rng: scriptedRng(c.randint_calls), offsetRange: "official" });
      assert.deepEqual(box.patch, c.patch_size);
      assert.deepEqual(box.offsets, c.zero_box.start);
      assert.deepEqual(
        box.offsets.map((o, i) => o + box.patch[i]),
        c.zero_box.stop_exclusive,
      );
      assert.equal(sum(box.mask), c.img_mask_sum);
      assert.equal(sum(lossMask(box.mask, [h, w], n)), c.loss_mask_sum);
    }
  });

  it("reproduces context_mask_3d with chosen offsets", () => {
    for (const c of masks.context_mask_3d_forced_offsets.cases) {
      const [n, , x, y, z] = c.input_shape_NCXYZ;
      const explicit = boxMask([x, y, z], { ratio: c.mask_ratio, offsets: c.forced_offsets_w_h_z });
      assert.deepEqual(explicit.patch, c.patch_size);
      assertExact(explicit.mask, u8(c.img_mask), "img_mask");
      assertExact(lossMask(explicit.mask, [x, y, z], n), u8(c.loss_mask), "loss_mask");
      // The official draws (hard-coded 112/112/80 ranges) replayed through legacy3dRange.
      const rng = scriptedRng(c.randint_calls);
      const legacy = boxMask([x, y, z], { ratio: c.mask_ratio, rng, legacy3dRange: true });
      assert.equal(rng.left(), 0);
      assertExact(legacy.mask, u8(c.img_mask), "legacy img_mask");
    }
  });

  it("reproduces the 112x112x80 summaries (legacy and official ranges agree there)", () => {
    for (const c of masks.context_mask_3d_112x112x80_summary.cases) {
      const [n, , x, y, z] = c.input_shape_NCXYZ;
      for (const opts of [{ legacy3dRange: true }, { offsetRange: "official" as const }]) {
        const box = boxMask([x, y, z], { ratio: c.mask_ratio, rng: scriptedRng(c.randint_calls), ...opts });
        assert.deepEqual(box.patch, c.patch_size);
        assert.deepEqual(box.offsets, c.zero_box.start);
        assert.equal(sum(box.mask), c.img_mask_sum);
        assert.equal(sum(lossMask(box.mask, [x, y, z], n)), c.loss_mask_sum);
      }
    }
  });

  it("legacy3dRange reproduces the size quirk: the box falls outside a 12x12x8 volume", () => {
    const q = masks.context_mask_3d_size_quirk;
    const [, , x, y, z] = q.input_shape_NCXYZ;
    const box = boxMask([x, y, z], { rng: scriptedRng(q.randint_calls), legacy3dRange: true });
    assert.deepEqual(
      box.offsets,
      q.randint_calls.map((c) => c.returned),
    );
    assert.equal(box.mask.length, q.img_mask_numel);
    assert.equal(sum(box.mask), q.img_mask_sum);
  });

  it("clips a legacy box that sticks out of the volume", () => {
    const box = boxMask([6, 6, 3], { ratio: 0.5, offsets: [4, 0, 0], legacy3dRange: true });
    assert.deepEqual(box.patch, [3, 3, 1]);
    assert.equal(box.mask.length - sum(box.mask), 2 * 3 * 1);
  });

  it("full range reaches the far border; size == patch gives offset 0", () => {
    const rng = createRng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(boxMask([4, 4], { ratio: 0.5, rng }).offsets[0]);
    assert.deepEqual([...seen].sort(), [0, 1, 2]);
    const whole = boxMask([5, 7], { ratio: 1, rng });
    assert.deepEqual(whole.offsets, [0, 0]);
    assert.equal(sum(whole.mask), 0);
  });

  it("official range never touches the far border", () => {
    const rng = createRng(6);
    for (let i = 0; i < 200; i++)
      assert.ok(boxMask([4, 4], { ratio: 0.5, rng, offsetRange: "official" }).offsets[0] < 2);
  });

  it("replays for the same seed", () => {
    const a = boxMask([32, 24, 16], { rng: createRng(1337) });
    const b = boxMask([32, 24, 16], { rng: createRng(1337) });
    assert.deepEqual(a.offsets, b.offsets);
    assertExact(a.mask, b.mask);
  });

  it("property: box area = prod(patch) and offsets lie inside", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 2, maxLength: 3 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer(),
        fc.constantFrom("full" as const, "official" as const),
        (shape, ratio, seed, offsetRange) => {
          const patch = shape.map((s) => Math.floor(s * ratio));
          const room = shape.map((s, i) => s - patch[i] + (offsetRange === "full" ? 1 : 0));
          fc.pre(patch.every((p) => p >= 1) && room.every((r) => r >= 1));
          const box = boxMask(shape, { ratio, rng: createRng(seed), offsetRange });
          assert.deepEqual(box.patch, patch);
          box.offsets.forEach((o, i) => {
            assert.ok(o >= 0 && o < room[i] && o + patch[i] <= shape[i]);
          });
          assert.equal(
            box.mask.length - sum(box.mask),
            patch.reduce((p, v) => p * v, 1),
          );
        },
      ),
    );
  });

  describe("errors", () => {
    const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;
    it("rejects a bad rank or shape", () => {
      assert.throws(() => boxMask([8], { offsets: [0] }), code("ERR_SHAPE"));
      assert.throws(() => boxMask([2, 2, 2, 2], { offsets: [0, 0, 0, 0] }), code("ERR_SHAPE"));
      assert.throws(() => boxMask([4, 0], { offsets: [0, 0] }), code("ERR_SHAPE"));
    });
    it("rejects a ratio outside (0, 1]", () => {
      for (const ratio of [0, -0.5, 1.5, Number.NaN]) {
        assert.throws(() => boxMask([8, 8], { ratio, offsets: [0, 0] }), code("ERR_ARGUMENT"));
      }
      assert.throws(() => boxMask([2, 8], { ratio: 0.3, offsets: [0, 0] }), code("ERR_ARGUMENT")); // empty box
    });
    it("rejects offsets outside the range or of the wrong count", () => {
      assert.throws(() => boxMask([9, 9], { offsets: [4, 0] }), code("ERR_ARGUMENT"));
      assert.throws(() => boxMask([9, 9], { offsets: [3, 0], offsetRange: "official" }), code("ERR_ARGUMENT"));
      assert.throws(() => boxMask([9, 9], { offsets: [-1, 0] }), code("ERR_ARGUMENT"));
      assert.throws(() => boxMask([9, 9], { offsets: [1.5, 0] }), code("ERR_ARGUMENT"));
      assert.throws(() => boxMask([9, 9], { offsets: [1] }), code("ERR_SHAPE"));
    });
    it("needs exactly one of rng and offsets", () => {
      assert.throws(() => boxMask([9, 9]), code("ERR_ARGUMENT"));
      assert.throws(() => boxMask([9, 9], { rng: createRng(1), offsets: [0, 0] }), code("ERR_ARGUMENT"));
    });
    it("official range with size == patch throws like numpy", () => {
      assert.throws(
        () => boxMask([6, 6], { ratio: 1, rng: createRng(1), offsetRange: "official" }),
        code("ERR_ARGUMENT"),
      );
    });
    it("rejects legacy3dRange on 2D and unknown offsetRange", () => {
      assert.throws(() => boxMask([6, 6], { rng: createRng(1), legacy3dRange: true }), code("ERR_ARGUMENT"));
      // @ts-expect-error: testing a bad value
      assert.throws(() => boxMask([6, 6], { rng: createRng(1), offsetRange: "half" }), code("ERR_ARGUMENT"));
    });
  });
});
