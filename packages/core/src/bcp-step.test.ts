// One whole BCP self-training iteration assembled from core alone, as the README shows it: pseudo labels
// from teacher logits, one box mask, both mixes, both mix losses. Checks the pieces fit and that the total
// gradient matches finite differences of the total loss.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bidirectionalMix,
  boxMask,
  createRng,
  lossMask,
  mixLoss,
  mixLossPresets,
  pseudoLabels,
  synthSlices2d,
} from "./index.ts";

describe("a BCP self-training step from core parts", () => {
  const S = 2; // sub-batch size: 2S labeled + 2S unlabeled
  const [H, W, C] = [32, 32, 4];
  const data = synthSlices2d({ count: 4 * S, size: [H, W], seed: 5 });
  const images = (from: number) => data.images.slice(from * H * W, (from + 2 * S) * H * W);
  const labeledImages = images(0);
  const unlabeledImages = images(2 * S);
  const labels = data.labels.slice(0, 2 * S * H * W);
  const rng = createRng(1337);
  const randomLogits = (n: number) => Float32Array.from({ length: n * C * H * W }, () => rng.normal());

  it("produces pseudo labels, mixes and a finite loss with a consistent gradient", () => {
    const teacherLogits = randomLogits(2 * S);
    const plab = pseudoLabels(teacherLogits, [2 * S, C, H, W], { mode: "argmax" });
    assert.equal(plab.length, 2 * S * H * W);
    const { mask, patch } = boxMask([H, W], { ratio: 2 / 3, rng });
    assert.deepEqual(patch, [21, 21]);
    const { labeledFrame, unlabeledFrame } = bidirectionalMix(
      { images: labeledImages, labels },
      { images: unlabeledImages, pseudoLabels: plab },
      mask,
      [2 * S, 1, H, W],
    );
    const m = lossMask(mask, [H, W], S);
    const logitsL = randomLogits(S);
    const logitsU = randomLogits(S);
    const shape = [S, C, H, W];
    const l = mixLoss(
      logitsL,
      labeledFrame.frameTarget,
      labeledFrame.boxTarget,
      m,
      shape,
      mixLossPresets.acdcLabeledFrame,
    );
    const u = mixLoss(
      logitsU,
      unlabeledFrame.frameTarget,
      unlabeledFrame.boxTarget,
      m,
      shape,
      mixLossPresets.acdcUnlabeledFrame,
    );
    assert.equal(labeledFrame.labeledRegion, "frame");
    assert.equal(unlabeledFrame.labeledRegion, "box");
    const total = l.value + u.value;
    assert.ok(Number.isFinite(total) && total > 0);

    // d total / d logitsL[i] by central differences at a few positions
    for (const i of [0, 17, 1000, logitsL.length - 1]) {
      const h = 1e-3;
      const plus = Float64Array.from(logitsL);
      const minus = Float64Array.from(logitsL);
      plus[i] += h;
      minus[i] -= h;
      const f = (x: Float64Array) =>
        mixLoss(x, labeledFrame.frameTarget, labeledFrame.boxTarget, m, shape, mixLossPresets.acdcLabeledFrame).value;
      const fd = (f(plus) - f(minus)) / (2 * h);
      assert.ok(Math.abs(fd - l.grad[i]) < 1e-6 + 1e-3 * Math.abs(fd), `grad[${i}] ${l.grad[i]} vs ${fd}`);
    }
  });
});
