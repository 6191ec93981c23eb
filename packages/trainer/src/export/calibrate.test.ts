import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import { calibrate, DEFAULT_CALIBRATION } from "./calibrate.ts";
import { netGraph } from "./net-graph.ts";
import { randomTorchWeights } from "./random-torch-weights.ts";

const ARCH = { kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.125 } as const;
const net = netGraph(ARCH, randomTorchWeights(ARCH, createRng(1)));
const rng = createRng(2);
const images = [0, 1, 2].map(() => Float32Array.from({ length: 32 * 32 }, () => rng.normal()));

describe("calibrate", () => {
  it("minmax: the input range is the images' extremes; every op output has a range; ReLU-free lo < 0", async () => {
    const r = await calibrate(net, images, [1, 32, 32], { method: "minmax" });
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const im of images) for (const v of im) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    assert.deepEqual(r.get("input"), [lo, hi]);
    for (const op of net.ops) assert.ok(r.get(op.y)![0] <= r.get(op.y)![1], op.y);
  });

  it("percentile ranges lie inside the minmax ranges and shrink with p", async () => {
    const mm = await calibrate(net, images, [1, 32, 32], { method: "minmax" });
    const p9 = await calibrate(net, images, [1, 32, 32], { method: "percentile", percentile: 99 });
    const p99 = await calibrate(net, images, [1, 32, 32], { method: "percentile", percentile: 99.99 });
    for (const [t, [a, b]] of mm) {
      const [c, d] = p99.get(t)!;
      const [e, f] = p9.get(t)!;
      assert.ok(a <= c + 1e-6 && d <= b + 1e-6 && c <= e + 1e-6 && f <= d + 1e-6, t);
    }
  });

  it("the default is the benchmarked percentile 99.99, not minmax", async () => {
    assert.deepEqual(DEFAULT_CALIBRATION, { method: "percentile", percentile: 99.99 });
    const byDefault = await calibrate(net, images, [1, 32, 32]);
    assert.deepEqual(byDefault, await calibrate(net, images, [1, 32, 32], { method: "percentile", percentile: 99.99 }));
    assert.notDeepEqual(byDefault, await calibrate(net, images, [1, 32, 32], { method: "minmax" }));
  });

  it("bad options are ERR_MODEL_ARGUMENT", async () => {
    await assert.rejects(calibrate(net, [], [1, 32, 32]), { code: "ERR_MODEL_ARGUMENT" });
    await assert.rejects(calibrate(net, images, [1, 32, 32], { method: "percentile", percentile: 20 }), {
      code: "ERR_MODEL_ARGUMENT",
    });
    await assert.rejects(calibrate(net, [new Float32Array(3)], [1, 32, 32]), { code: "ERR_MODEL_ARGUMENT" });
  });
});
