import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { registerGradients, selectBackend } from "../backend/index.ts";
import { registerMissingKernels } from "./register-missing-kernels.ts";

function randn(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => scale * rng.normal()),
    shape,
  );
}

/** Batch norm over all but the channel axis, as the models do it (moments, no running stats). */
function batchNorm(x: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
}

/** A U-Net-shaped 2-D block: conv, BN, leaky ReLU, max-pool, strided conv, bilinear upsample, skip concat, 1x1 head. */
function net2d(p: tf.Tensor[], x: tf.Tensor): tf.Scalar {
  const [w1, w2, w3, w4, target] = p as tf.Tensor4D[];
  const a = tf.leakyRelu(batchNorm(tf.conv2d(x as tf.Tensor4D, w1, 1, "same")), 0.01) as tf.Tensor4D;
  const b = tf.relu(tf.conv2d(tf.maxPool(a, 2, 2, "valid"), w2, 1, "same")) as tf.Tensor4D;
  const c = tf.conv2d(b, w3, 2, "valid");
  const up = tf.image.resizeBilinear(c, [a.shape[1], a.shape[2]], true);
  const logits = tf.conv2d(tf.concat([a, up], 3) as tf.Tensor4D, w4, 1, "same");
  return tf.sum(tf.mul(tf.logSoftmax(logits), target));
}

/** A V-Net-shaped 3-D block: conv3d, BN, ReLU, k2 s2 down-conv, max-pool 3d, 1x1x1 head. */
function net3d(p: tf.Tensor[], x: tf.Tensor): tf.Scalar {
  const [w1, w2, w3, target] = p as tf.Tensor5D[];
  const a = tf.relu(batchNorm(tf.conv3d(x as tf.Tensor5D, w1, 1, "same"))) as tf.Tensor5D;
  const b = tf.conv3d(a, w2, 2, "valid");
  const c = tf.conv3d(tf.maxPool3d(b, 2, 2, "valid"), w3, 1, "same");
  return tf.sum(tf.mul(tf.logSoftmax(c), target));
}

async function gradsOn(backend: "cpu" | "wasm", net: (p: tf.Tensor[], x: tf.Tensor) => tf.Scalar, shapes: number[][]) {
  if (backend === "wasm") await selectBackend("wasm");
  else {
    await tf.setBackend("cpu"); // tfjs's own cpu kernels are the reference, less its resize-grad shape bug
    registerGradients();
    registerMissingKernels("cpu", ["ResizeBilinearGrad"]);
  }
  const [xShape, ...pShapes] = shapes;
  const x = randn(xShape, 10);
  const params = pShapes.map((s, i) => randn(s, 20 + i, 0.3));
  const n = params.length - 1; // last is a fixed target, not differentiated
  const grads = tf.grads((...ws: tf.Tensor[]) => net([...ws, params[n]], x))(params.slice(0, n));
  const out = grads.map((g) => Float32Array.from(g.dataSync()));
  tf.dispose([x, ...params, ...grads]);
  return out;
}

function assertRelClose(a: Float32Array[], b: Float32Array[], rel: number): void {
  assert.equal(a.length, b.length);
  a.forEach((ga, k) => {
    let scale = 0;
    for (const v of b[k]) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < ga.length; i++) {
      assert.ok(Math.abs(ga[i] - b[k][i]) <= rel * scale, `grad ${k}[${i}]: wasm ${ga[i]} vs cpu ${b[k][i]}`);
    }
  });
}

describe("gradients of small conv nets on wasm (bcpseg kernels) equal tfjs-cpu's within 1e-4 relative", () => {
  it("2-D U-Net block", async () => {
    const shapes = [
      [2, 12, 10, 3],
      [3, 3, 3, 4],
      [3, 3, 4, 4],
      [2, 2, 4, 4],
      [3, 3, 8, 2],
      [2, 12, 10, 2],
    ];
    const cpu = await gradsOn("cpu", net2d, shapes);
    const wasm = await gradsOn("wasm", net2d, shapes);
    assertRelClose(wasm, cpu, 1e-4);
  });

  it("3-D V-Net block", async () => {
    const shapes = [
      [1, 8, 8, 6, 2],
      [3, 3, 3, 2, 3],
      [2, 2, 2, 3, 4],
      [3, 3, 3, 4, 2],
      [1, 2, 2, 1, 2],
    ];
    const cpu = await gradsOn("cpu", net3d, shapes);
    const wasm = await gradsOn("wasm", net3d, shapes);
    assertRelClose(wasm, cpu, 1e-4);
  });
});
