import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createRng, defaultContract2d, defaultContract3d, synthSlices2d } from "@bcpseg/core";
import * as ortNode from "onnxruntime-node";
import type { ArchSpec } from "./arch-spec.ts";
import type { Precision } from "./emit-onnx.ts";
import { exportOnnx } from "./export-onnx.ts";
import { loadOnnxModel } from "./load-onnx-model.ts";
import { decodeModel } from "./onnx-proto.ts";
import { randomTorchWeights } from "./random-torch-weights.ts";
import { referenceForward } from "./reference-forward.ts";
import { argmaxClasses, maxAbsDiff, RUNTIMES, runOnce } from "./runtimes.test.ts";

// Random weights (He-normal convs, random BN statistics): a random net has small logit margins, so the int8
// agreement bounds below are looser than what a trained net reaches (the issue's >= 99% on a trained net is
// int8-agreement.test.ts). Width 0.25 keeps the float64 oracle fast.
const UNET: ArchSpec = { kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.25 };
const VNET: ArchSpec = { kind: "vnet3d", inChannels: 1, numClasses: 2, width: 0.25 };
const H = 64;
const unetWeights = randomTorchWeights(UNET, createRng(1));
const contract2d = defaultContract2d({ size: [H, H] });
const phantoms = synthSlices2d({ count: 12, size: [H, H], seed: 3 });
const slice = (i: number) => phantoms.images.slice(i * H * H, (i + 1) * H * H);

describe("exportOnnx: fp32 against the float64 reference", () => {
  it("U-Net (batch 2, dynamic batch dim) matches in onnxruntime-node and -web to 1e-4, labels = argmax", async () => {
    const x = new Float32Array(2 * H * H);
    x.set(slice(0));
    x.set(slice(1), H * H);
    const ref = referenceForward(UNET, unetWeights, x, [2, 1, H, H]);
    let spread = 0;
    for (const p of ref) spread = Math.max(spread, Math.min(p, 1 - p));
    assert.ok(spread > 0.2, "the probabilities are not saturated, so the comparison means something");
    const bytes = await exportOnnx(UNET, unetWeights, { contract: contract2d, labels: true });
    for (const [name, ort] of RUNTIMES) {
      const out = await runOnce(ort, bytes, x, [2, 1, H, H]);
      assert.deepEqual(out.probs.dims, [2, 4, H, H], name);
      assert.ok(maxAbsDiff(out.probs.data as Float32Array, ref) <= 1e-4, `${name}: probs differ`);
      assert.deepEqual(out.labels.dims, [2, H, H]);
      const labels = Array.from(out.labels.data as BigInt64Array, Number);
      assert.deepEqual(labels, [...argmaxClasses(out.probs.data as Float32Array, 2, 4)], `${name}: labels`);
    }
  });

  it("V-Net on 1x1x16x16x16 matches in onnxruntime-node and -web to 1e-4", async () => {
    const w = randomTorchWeights(VNET, createRng(5));
    const rng = createRng(6);
    const x = Float32Array.from({ length: 16 ** 3 }, () => rng.normal());
    const ref = referenceForward(VNET, w, x, [1, 1, 16, 16, 16]);
    const contract = defaultContract3d({ size: [16, 16, 16], stride: [8, 8, 8] });
    const bytes = await exportOnnx(VNET, w, { contract });
    for (const [name, ort] of RUNTIMES) {
      const out = await runOnce(ort, bytes, x, [1, 1, 16, 16, 16]);
      assert.ok(maxAbsDiff(out.probs.data as Float32Array, ref) <= 1e-4, `${name}: probs differ`);
    }
  });
});

describe("exportOnnx: fp16 and int8", () => {
  const calibration = { images: [2, 3, 4, 5, 6, 7].map(slice) };
  const val = [8, 9, 10, 11].map(slice);
  const bounds: Record<Exclude<Precision, "fp32">, number> = { fp16: 0.995, "int8-weights": 0.99, "int8-static": 0.97 };

  it("every precision loads and runs in both runtimes and agrees with the fp32 argmax on phantom slices", async () => {
    const fp32 = await exportOnnx(UNET, unetWeights, { contract: contract2d });
    const refs = await Promise.all(
      val.map(async (x) =>
        argmaxClasses((await runOnce(RUNTIMES[0][1], fp32, x, [1, 1, H, H])).probs.data as Float32Array, 1, 4),
      ),
    );
    for (const precision of ["fp16", "int8-weights", "int8-static"] as const) {
      for (const method of precision === "int8-static" ? (["minmax", "percentile"] as const) : (["minmax"] as const)) {
        const bytes = await exportOnnx(UNET, unetWeights, {
          contract: contract2d,
          precision,
          calibration: { ...calibration, method },
        });
        assert.ok(bytes.length < fp32.length * (precision === "fp16" ? 0.55 : 0.4), `${precision} is smaller`);
        const meta = await loadOnnxModel(bytes);
        assert.equal(meta.metadata["bcpseg.precision"], precision);
        for (const [name, ort] of RUNTIMES) {
          let agree = 0;
          for (let i = 0; i < val.length; i++) {
            const a = argmaxClasses((await runOnce(ort, bytes, val[i], [1, 1, H, H])).probs.data as Float32Array, 1, 4);
            for (let j = 0; j < a.length; j++) if (a[j] === refs[i][j]) agree++;
          }
          const rate = agree / (val.length * H * H);
          assert.ok(
            rate >= bounds[precision],
            `${precision}/${method} on ${name}: ${(100 * rate).toFixed(2)}% agreement`,
          );
        }
      }
    }
  });

  it("int8-static: onnxruntime fuses every convolution into QLinearConv", async () => {
    const bytes = await exportOnnx(UNET, unetWeights, { contract: contract2d, precision: "int8-static", calibration });
    // No method given: the model records the default calibration, percentile 99.99.
    const quantization = JSON.parse((await loadOnnxModel(bytes)).metadata["bcpseg.quantization"]);
    assert.deepEqual([quantization.method, quantization.percentile], ["percentile", 99.99]);
    const dir = await mkdtemp(join(tmpdir(), "bcpseg-export-"));
    try {
      const path = join(dir, "optimized.onnx");
      const s = await ortNode.InferenceSession.create(bytes, { optimizedModelFilePath: path, logSeverityLevel: 3 });
      await s.release();
      const counts: Record<string, number> = {};
      for (const n of decodeModel(await readFile(path)).graph.node) counts[n.op_type] = (counts[n.op_type] ?? 0) + 1;
      assert.equal(counts.QLinearConv, 23, JSON.stringify(counts));
      assert.equal(counts.Conv ?? 0, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("V-Net int8-static and fp16 load and run in both runtimes", async () => {
    const w = randomTorchWeights(VNET, createRng(5));
    const rng = createRng(7);
    const x = Float32Array.from({ length: 16 ** 3 }, () => rng.normal());
    const contract = defaultContract3d({ size: [16, 16, 16], stride: [8, 8, 8] });
    for (const precision of ["fp16", "int8-weights", "int8-static"] as const) {
      const bytes = await exportOnnx(VNET, w, { contract, precision, calibration: { images: [x] } });
      for (const [, ort] of RUNTIMES) {
        const out = await runOnce(ort, bytes, x, [1, 1, 16, 16, 16]);
        assert.deepEqual(out.probs.dims, [1, 2, 16, 16, 16]);
      }
    }
  });

  it("int8-static without calibration images is ERR_MODEL_ARGUMENT", async () => {
    await assert.rejects(exportOnnx(UNET, unetWeights, { contract: contract2d, precision: "int8-static" }), {
      code: "ERR_MODEL_ARGUMENT",
    });
  });

  it("a missing weight is ERR_MODEL_WEIGHTS naming the key", async () => {
    const w = { ...unetWeights };
    delete w["decoder.up2.conv1x1.bias"];
    await assert.rejects(exportOnnx(UNET, w, { contract: contract2d }), (e: Error & { code?: string }) => {
      assert.equal(e.code, "ERR_MODEL_WEIGHTS");
      assert.match(e.message, /decoder\.up2\.conv1x1\.bias/);
      return true;
    });
  });
});
