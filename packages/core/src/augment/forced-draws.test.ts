import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../rng/create-rng.ts";
import { forcedDraws } from "./forced-draws.ts";
import { randomRotFlip } from "./random-rot-flip.ts";
import { randomRotate } from "./random-rotate.ts";
import { trainTransform3d } from "./train-transform-3d.ts";

describe("forcedDraws", () => {
  it("replays the two streams in call order and checks bounds", () => {
    const d = forcedDraws({ random: [0.25], randint: [3, -20] });
    assert.equal(d.randint(0, 4), 3);
    assert.equal(d.random(), 0.25);
    assert.equal(d.randint(-20, 20), -20);
    assert.deepEqual(d.remaining(), { random: 0, randint: 0 });
    assert.throws(() => d.random(), { code: "ERR_ARGUMENT" });
    assert.throws(() => forcedDraws({ randint: [4] }).randint(0, 4), { code: "ERR_ARGUMENT" });
    assert.throws(() => forcedDraws({ random: [1] }).random(), { code: "ERR_ARGUMENT" });
  });
});

describe("random augmentations draw in the official order", () => {
  it("randomRotFlip: k then axis", () => {
    const r = randomRotFlip(
      Float32Array.from([0, 1, 2, 3, 4, 5]),
      Uint8Array.from([0, 0, 1, 1, 2, 2]),
      [2, 3],
      forcedDraws({ randint: [1, 0] }),
    );
    assert.deepEqual([r.k, r.axis, r.shape], [1, 0, [3, 2]]);
    // rot90 -> [[2, 5], [1, 4], [0, 3]]; flip rows -> [[0, 3], [1, 4], [2, 5]]
    assert.deepEqual([...r.image], [0, 3, 1, 4, 2, 5]);
    assert.deepEqual([...r.label], [0, 1, 0, 2, 1, 2]);
  });

  it("randomRotate: one angle in [-20, 20) for image and label", () => {
    const rng = createRng(5);
    for (let i = 0; i < 50; i++) {
      const r = randomRotate(new Float32Array(9), new Uint8Array(9), [3, 3], rng);
      assert.ok(Number.isInteger(r.angle) && r.angle >= -20 && r.angle < 20);
    }
    assert.throws(() => randomRotate(new Float32Array(9), new Uint8Array(8), [3, 3], rng), { code: "ERR_SHAPE" });
  });

  it("trainTransform3d: rot-flip draws, then three crop offsets", () => {
    const x = Float32Array.from({ length: 6 * 5 * 4 }, (_, i) => i);
    const d = forcedDraws({ randint: [0, 1, 2, 0, 1] });
    const r = trainTransform3d(x, x, [6, 5, 4], [3, 3, 2], d);
    assert.deepEqual(d.remaining(), { random: 0, randint: 0 });
    assert.deepEqual(r.shape, [3, 3, 2]);
    // k=0 then flip axis 1: y -> 4 - y; crop at (2, 0, 1): first voxel = x[2, 4, 1]
    assert.equal(r.image[0], 2 * 20 + 4 * 4 + 1);
  });
});
