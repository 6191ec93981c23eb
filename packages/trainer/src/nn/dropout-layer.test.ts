import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { applyDropout } from "./dropout-layer.ts";

await tf.setBackend("cpu");
const ctx = (training: boolean, seed = 0) => ({ training, updateStats: true, rng: createRng(seed) });

describe("applyDropout", () => {
  it("is the identity in eval and for p = 0", () => {
    const x = tf.ones([2, 3, 3, 4]);
    assert.equal(applyDropout(x, 0.5, ctx(false), "element"), x);
    assert.equal(applyDropout(x, 0, ctx(true), "element"), x);
  });

  it("keeps about 1 − p of the units, scaled by 1/(1 − p)", () => {
    const y = applyDropout(tf.ones([4, 32, 32, 8]), 0.3, ctx(true, 1), "element").dataSync();
    const kept = y.filter((v) => v !== 0);
    assert.ok(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6));
    assert.ok(Math.abs(kept.length / y.length - 0.7) < 0.01, `kept ${kept.length / y.length}`);
  });

  it("drops whole channels per sample in channel mode (Dropout3d)", () => {
    const y = applyDropout(tf.ones([3, 2, 2, 2, 16]), 0.5, ctx(true, 2), "channel").bufferSync();
    let dropped = 0;
    for (let n = 0; n < 3; n++) {
      for (let c = 0; c < 16; c++) {
        const v = y.get(n, 0, 0, 0, c);
        for (let i = 0; i < 8; i++) assert.equal(y.get(n, i >> 2, (i >> 1) & 1, i & 1, c), v);
        assert.ok(v === 0 || v === 2);
        if (v === 0) dropped++;
      }
    }
    assert.ok(dropped > 0 && dropped < 48);
  });

  it("replays from the seed and differs across seeds", () => {
    const x = tf.ones([1, 8, 8, 4]);
    const a = applyDropout(x, 0.5, ctx(true, 7), "element").dataSync();
    const b = applyDropout(x, 0.5, ctx(true, 7), "element").dataSync();
    const c = applyDropout(x, 0.5, ctx(true, 8), "element").dataSync();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
