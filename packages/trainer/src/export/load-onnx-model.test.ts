import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng, defaultContract2d, readOnnxMetadata } from "@bcpseg/core";
import type { ArchSpec } from "./arch-spec.ts";
import { emitGraph } from "./emit-onnx.ts";
import { ExportError } from "./export-error.ts";
import { exportOnnx } from "./export-onnx.ts";
import { loadOnnxModel } from "./load-onnx-model.ts";
import { netGraph } from "./net-graph.ts";
import { randomTorchWeights } from "./random-torch-weights.ts";

/** The exporter's hash recomputed independently: Web Crypto over the GraphProto bytes as stored. */
const webCryptoHex = async (b: Uint8Array) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", b as Uint8Array<ArrayBuffer>)), (x) =>
    x.toString(16).padStart(2, "0"),
  ).join("");

const ARCH: ArchSpec = { kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.125 };
const weights = randomTorchWeights(ARCH, createRng(3));
const contract = defaultContract2d({ size: [32, 32] });
const extras = {
  training: { lr: 0.01, iterations: 30000, labeledRatio: 0.05 },
  split: { labeled: ["patient001"], unlabeled: ["patient002"], validation: ["patient003"] },
  metrics: { dice: 0.891, hd95: 1.75 },
};
const bytes = await exportOnnx(ARCH, weights, { contract, labels: true, ...extras });

describe("loadOnnxModel", () => {
  it("round-trips the metadata, contract, producer and io", async () => {
    const m = await loadOnnxModel(bytes);
    assert.equal(m.producerName, "bcpseg");
    assert.equal(m.opset, 17);
    assert.equal(m.irVersion, 8);
    assert.deepEqual(m.contract, contract);
    assert.deepEqual(JSON.parse(m.metadata["bcpseg.training"]), extras.training);
    assert.deepEqual(JSON.parse(m.metadata["bcpseg.split"]), extras.split);
    assert.deepEqual(JSON.parse(m.metadata["bcpseg.metrics"]), extras.metrics);
    assert.deepEqual(JSON.parse(m.metadata["bcpseg.arch"]), ARCH);
    assert.equal(m.metadata["bcpseg.precision"], "fp32");
    assert.equal(m.sha256, await webCryptoHex(readOnnxMetadata(bytes).graph as Uint8Array));
    assert.deepEqual(m.inputs, [{ name: "input", dims: ["N", 1, 32, 32] }]);
    assert.deepEqual(m.outputs, [
      { name: "probs", dims: ["N", 4, 32, 32] },
      { name: "labels", dims: ["N", 32, 32] },
    ]);
  });

  it("the export is deterministic (same weights → same bytes and hash)", async () => {
    assert.deepEqual(await exportOnnx(ARCH, weights, { contract, labels: true, ...extras }), bytes);
  });

  it("every truncation is ERR_MODEL_CORRUPT", async () => {
    const cuts = [0, 1, 7, 100, bytes.length >> 1, bytes.length - 80, bytes.length - 66, bytes.length - 1];
    // also each metadata entry boundary near the end (a cut there still parses as protobuf)
    for (let k = bytes.length - 200; k < bytes.length; k += 3) cuts.push(k);
    for (const n of cuts) {
      await assert.rejects(loadOnnxModel(bytes.subarray(0, n)), { code: "ERR_MODEL_CORRUPT" }, `cut at ${n}`);
    }
  });

  it("a flipped weight byte fails the hash check (ERR_MODEL_CORRUPT)", async () => {
    const bad = bytes.slice();
    bad[bytes.length >> 1] ^= 0x01;
    await assert.rejects(loadOnnxModel(bad), { code: "ERR_MODEL_CORRUPT" });
  });

  it("random bytes are ERR_MODEL_CORRUPT", async () => {
    const rng = createRng(9);
    const junk = Uint8Array.from({ length: 4096 }, () => rng.randint(0, 256));
    await assert.rejects(loadOnnxModel(junk), { code: "ERR_MODEL_CORRUPT" });
  });

  it("an invalid contract is rejected at export with ERR_CONTRACT", async () => {
    const bad = { ...contract, classes: [] };
    await assert.rejects(exportOnnx(ARCH, weights, { contract: bad }), { code: "ERR_CONTRACT" });
  });

  it("graph reader and emitter refuse with ExportError, not a plain Error", async () => {
    await assert.rejects(
      loadOnnxModel(Uint8Array.of(0)),
      (e) => e instanceof ExportError && e.code === "ERR_MODEL_CORRUPT",
    );
    assert.throws(
      () => emitGraph(netGraph(ARCH, weights), { precision: "int8-static" }),
      (e) => e instanceof ExportError && e.code === "ERR_MODEL_ARGUMENT" && e.kind === "usage",
    );
  });
});
