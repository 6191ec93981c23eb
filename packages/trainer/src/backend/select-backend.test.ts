import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBcpError } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { BackendUnavailableError, backendInfo, selectBackend } from "./index.ts";

describe("selectBackend", () => {
  for (const name of ["tensorflow", "tensorflow-gpu"] as const) {
    it(`fails for "${name}" with ERR_BACKEND_UNAVAILABLE and an install hint when the package is absent`, async () => {
      const pkg = name === "tensorflow" ? "@tensorflow/tfjs-node" : "@tensorflow/tfjs-node-gpu";
      await assert.rejects(selectBackend(name), (e: unknown) => {
        assert.ok(e instanceof BackendUnavailableError);
        assert.equal(e.code, "ERR_BACKEND_UNAVAILABLE");
        assert.equal(e.backend, name);
        assert.equal(isBcpError(e), true);
        assert.ok(!e.message.includes("\n"), "one line");
        assert.match(e.message, new RegExp(`npm install ${pkg}@`));
        assert.match(e.message, /README/);
        return true;
      });
    });
  }

  it("rejects an unknown name with ERR_ARGUMENT", async () => {
    await assert.rejects(selectBackend("gpu" as never), { code: "ERR_ARGUMENT" });
  });

  it("starts wasm with SIMD, its kernels and tfjs's gradients", async () => {
    const info = await selectBackend("wasm");
    assert.equal(info.name, "wasm");
    assert.equal(tf.getBackend(), "wasm");
    assert.equal(info.simd, true);
    assert.equal(info.threads, 1); // the single-threaded build unless threads are asked for (wasm-threads.test.ts)
    assert.equal(info.threadsFallback, null);
    assert.ok(info.kernels.includes("Conv2DBackpropFilter"));
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.conv2d(x as tf.Tensor4D, tf.ones<tf.Rank.R4>([3, 3, 1, 2]), 1, "same")),
    );
    // Each input pixel of a 3x3 image feeds 2 channels x (number of windows covering it).
    assert.deepEqual([...g(tf.ones([1, 3, 3, 1])).dataSync()], [8, 12, 8, 12, 18, 12, 8, 12, 8]);
  });

  it('"auto" falls back past the missing native packages and says why', async () => {
    const info = await selectBackend("auto");
    assert.equal(info.name, "wasm");
    assert.equal(info.requested, "auto");
    assert.equal(info.skipped.length, 2);
    assert.deepEqual(backendInfo(), info);
  });

  it("starts cpu with its conv-gradient and resize-gradient fixes and the fused training kernels", async () => {
    const info = await selectBackend("cpu");
    assert.equal(info.name, "cpu");
    assert.equal(info.threads, 1);
    assert.deepEqual(info.kernels, [
      "Conv2DBackpropFilter",
      "Conv3DBackpropFilterV2",
      "ResizeBilinearGrad",
      "LeakyRelu",
      "BcpBatchNormTrain",
      "BcpBatchNormTrainGrad",
      "BcpLeakyReluGrad",
    ]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.image.resizeBilinear(x as tf.Tensor4D, [5, 3], true)))(
      tf.ones([1, 3, 2, 1]),
    );
    assert.deepEqual(g.shape, [1, 3, 2, 1]);
  });
});
