import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { synthSlices2d } from "./synth-slices-2d.ts";

const fnv = (a: ArrayBufferView) => {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
};

describe("synthSlices2d", () => {
  it("is byte-identical for a seed on every runtime (golden hashes)", () => {
    // Only +, -, *, /, sqrt (correctly rounded in IEEE 754) and integer ops feed the pixels, so
    // Node (V8), Bun (JSC) and Deno (V8) agree to the bit; these hashes were checked on all three.
    const d = synthSlices2d({ patients: 2, slicesPerPatient: 3, size: [48, 40], seed: 42 });
    assert.equal(fnv(d.labels), "5681038c");
    assert.equal(fnv(d.images), "d9263eef");
  });

  it("honours count, patients, slicesPerPatient and size", () => {
    const a = synthSlices2d({ count: 7, slicesPerPatient: 3, size: [32, 24] });
    assert.deepEqual(a.shape, [7, 32, 24]);
    assert.equal(a.images.length, 7 * 32 * 24);
    assert.deepEqual([...a.patientIndex], [0, 0, 0, 1, 1, 1, 2]);
    assert.deepEqual(a.patientIds.slice(2, 4), ["synth0000", "synth0001"]);
    const b = synthSlices2d({ patients: 2, slicesPerPatient: 4, size: [20, 36] });
    assert.deepEqual(b.shape, [8, 20, 36]);
    assert.ok(b.positions[0] < b.positions[3] && b.positions[3] > 0.85);
    assert.deepEqual(synthSlices2d({ size: [16, 16] }).shape, [100, 16, 16]);
  });

  it("gives patient k the same slices whatever the count, and different seeds differ", () => {
    const small = synthSlices2d({ patients: 1, slicesPerPatient: 5, size: [32, 32], seed: 7 });
    const big = synthSlices2d({ count: 12, slicesPerPatient: 5, size: [32, 32], seed: 7 });
    assert.deepEqual(small.images, big.images.subarray(0, small.images.length));
    const other = synthSlices2d({ patients: 1, slicesPerPatient: 5, size: [32, 32], seed: 8 });
    assert.notDeepEqual(small.images, other.images);
    assert.notDeepEqual(small.labels, other.labels);
  });

  it("has all four labels in every mid-ventricular slice", () => {
    const per = 10;
    const d = synthSlices2d({ patients: 30, slicesPerPatient: per, seed: 1 });
    const hw = 128 * 128;
    for (let q = 0; q < 30; q++) {
      for (const j of [3, 4, 5]) {
        const k = q * per + j;
        const seen = new Set(d.labels.subarray(k * hw, (k + 1) * hw));
        assert.deepEqual([...seen].sort(), [0, 1, 2, 3], `patient ${q} slice ${j}`);
      }
    }
  });

  it("rejects bad options with coded errors", () => {
    assert.throws(() => synthSlices2d({ count: 3, patients: 1 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => synthSlices2d({ count: 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => synthSlices2d({ slicesPerPatient: 2.5 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => synthSlices2d({ size: [32, 32, 3] }), { code: "ERR_SHAPE" });
    assert.throws(() => synthSlices2d({ seed: 0.5, count: 1 }), { code: "ERR_ARGUMENT" });
  });
});
