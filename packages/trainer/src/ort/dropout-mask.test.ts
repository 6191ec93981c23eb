import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import { drawDropoutMask } from "./ort-trainer.ts";

describe("drawDropoutMask", () => {
  it("draws one uint32 per element in channels-last order and returns the mask in NCHW (any shape, vs the plain loop)", () => {
    for (const shape of [
      [2, 3, 5, 7],
      [1, 1, 1, 1],
      [3, 300, 4, 5],
      [2, 4, 3, 2, 5],
      [2, 5, 1, 1],
    ]) {
      for (const p of [0.05, 0.5]) {
        const [n, c, ...sp] = shape;
        const s = sp.reduce((a, b) => a * b, 1);
        const ref = createRng(9);
        const want = new Float32Array(n * c * s);
        for (let b = 0; b < n; b++)
          for (let i = 0; i < s; i++)
            for (let k = 0; k < c; k++) want[(b * c + k) * s + i] = ref.nextUint32() >= p * 2 ** 32 ? 1 / (1 - p) : 0;
        const rng = createRng(9);
        const got = drawDropoutMask({ name: "m", p, mode: "element", shape }, rng);
        assert.deepEqual(got, want, `shape ${shape} p ${p}`);
        assert.deepEqual(rng.state(), ref.state(), "the stream advances by one draw per element");
      }
    }
  });
});
