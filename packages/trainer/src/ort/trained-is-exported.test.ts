// The graph that trains is the graph that deploys: the onnxruntime engine's eval-mode forward (generated from
// netLayers, BatchNorm on running statistics, its own conv lowerings) and the exported fp32 model (the same layers,
// BatchNorm folded into the convs, then Softmax) give the same class probabilities on the same weights and images.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng, defaultContract2d, defaultContract3d } from "@bcpseg/core";
import * as ort from "onnxruntime-node";
import type { ArchSpec } from "../export/arch-spec.ts";
import { exportOnnx } from "../export/export-onnx.ts";
import { randomTorchWeights } from "../export/random-torch-weights.ts";
import { forwardGraph, IO } from "./net-graphs.ts";

async function logitsOf(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, output?: string): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    return (await s.run(feeds))[output ?? s.outputNames[0]].data as Float32Array;
  } finally {
    await s.release();
  }
}

/** Softmax over the class axis of NC... logits. */
function softmaxClasses(x: Float32Array, n: number, c: number): Float64Array {
  const out = new Float64Array(x.length);
  const per = x.length / (n * c);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < per; p++) {
      const at = (k: number) => (b * c + k) * per + p;
      let m = -Infinity;
      for (let k = 0; k < c; k++) m = Math.max(m, x[at(k)]);
      let z = 0;
      for (let k = 0; k < c; k++) z += Math.exp(x[at(k)] - m);
      for (let k = 0; k < c; k++) out[at(k)] = Math.exp(x[at(k)] - m) / z;
    }
  }
  return out;
}

const CASES: readonly { arch: ArchSpec; patch: number[]; contract: Parameters<typeof exportOnnx>[2]["contract"] }[] = [
  {
    arch: { kind: "unet2d", inChannels: 1, numClasses: 4, width: 0.25 },
    patch: [32, 32],
    contract: defaultContract2d({ size: [32, 32] }),
  },
  {
    arch: { kind: "vnet3d", inChannels: 1, numClasses: 2, width: 0.25 },
    patch: [16, 16, 16],
    contract: defaultContract3d({ size: [16, 16, 16], stride: [8, 8, 8] }),
  },
];

describe("the trained forward graph is the exported graph", () => {
  for (const { arch, patch, contract } of CASES) {
    it(`${arch.kind}: ort-cpu's eval forward and the fp32 export agree`, async () => {
      const rng = createRng(7);
      const weights = randomTorchWeights(arch, rng);
      const batch = 2;
      const image = new Float32Array(batch * patch.reduce((a, b) => a * b, 1)).map(() => rng.normal());
      const dims = [batch, 1, ...patch];
      const g = forwardGraph({ net: { arch, dropout: [] }, batch, patch, mode: "eval" });
      const feeds: Record<string, ort.Tensor> = { [IO.image(0)]: new ort.Tensor("float32", image, dims) };
      for (const [name, shape] of [...g.trainable, ...g.stats]) {
        const key = g.stats.has(name) ? IO.stat(name) : IO.param(name);
        feeds[key] = new ort.Tensor("float32", weights[name], [...shape]);
      }
      const logits = await logitsOf(g.bytes, feeds, IO.logits(0));
      const trained = softmaxClasses(logits, batch, arch.numClasses);
      const exported = await logitsOf(await exportOnnx(arch, weights, { contract, spatial: patch }), {
        input: new ort.Tensor("float32", image, dims),
      });
      assert.equal(trained.length, exported.length);
      let worst = 0;
      for (let i = 0; i < trained.length; i++) worst = Math.max(worst, Math.abs(trained[i] - exported[i]));
      const spread = Math.max(...logits) - Math.min(...logits);
      assert.ok(spread > 1, `the logits are not trivial (spread ${spread})`);
      assert.ok(worst <= 1e-5, `max |p_trained − p_exported| ${worst}`);
    });
  }
});
