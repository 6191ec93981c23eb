import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createRng } from "../rng/create-rng.ts";
import { synthVolume3d } from "./synth-volume-3d.ts";
import { synthVolumes3d } from "./synth-volumes-3d.ts";

const fnv = (a: ArrayBufferView) => {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
};

describe("synthVolumes3d", () => {
  it("is byte-identical for a seed on every runtime (golden hashes)", () => {
    const v = synthVolumes3d({ count: 1, size: [16, 12, 10], seed: 42 });
    assert.equal(fnv(v.labels), "a9efddcb");
    assert.equal(fnv(v.images), "78ca2f71");
  });

  it("z-scores each volume, keeps labels binary with a plausible foreground, blob brighter", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.integer({ min: 12, max: 28 }), { minLength: 3, maxLength: 3 }),
        (seed, size) => {
          const { image, label, shape } = synthVolume3d(createRng(seed), { size });
          assert.deepEqual(shape, size);
          let s = 0;
          let s2 = 0;
          let fg = 0;
          let fgSum = 0;
          for (let i = 0; i < image.length; i++) {
            s += image[i];
            s2 += image[i] * image[i];
            assert.ok(label[i] === 0 || label[i] === 1);
            if (label[i]) {
              fg++;
              fgSum += image[i];
            }
          }
          assert.ok(Math.abs(s / image.length) < 1e-4);
          assert.ok(Math.abs(s2 / image.length - 1) < 1e-3);
          assert.ok(fg / label.length > 0.01 && fg / label.length < 0.3, `foreground ${fg / label.length}`);
          assert.ok(fgSum / fg > (s - fgSum) / (image.length - fg) + 0.5);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("honours count and size; volume k does not depend on count; seeds differ", () => {
    const a = synthVolumes3d({ count: 2, size: [12, 14, 10], seed: 3 });
    assert.deepEqual(a.shape, [2, 12, 14, 10]);
    assert.equal(a.images.length, 2 * 12 * 14 * 10);
    const b = synthVolumes3d({ count: 1, size: [12, 14, 10], seed: 3 });
    assert.deepEqual(b.images, a.images.subarray(0, b.images.length));
    assert.notDeepEqual(a.images.subarray(0, b.images.length), a.images.subarray(b.images.length));
    assert.deepEqual(synthVolumes3d({ count: 1 }).shape, [1, 64, 64, 48]);
  });

  it("rejects bad options with coded errors", () => {
    assert.throws(() => synthVolumes3d({ count: 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => synthVolumes3d({ size: [16, 16] }), { code: "ERR_SHAPE" });
    assert.throws(() => synthVolumes3d({ size: [4, 16, 16] }), { code: "ERR_ARGUMENT" });
    assert.throws(() => synthVolumes3d({ noise: -1 }), { code: "ERR_ARGUMENT" });
  });
});
