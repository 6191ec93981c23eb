import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../backend/index.ts";
import { configsFor } from "./register-missing-kernels.ts";

async function run(backendName: string, fn: tf.KernelFunc, x: tf.TensorLike, shape: number[], attrs: object) {
  await tf.setBackend(backendName);
  const input = tf.tensor(x, shape);
  const pool = shape.length === 4 ? tf.maxPool : tf.maxPool3d;
  const a = attrs as { filterSize: number; strides: number; pad: "same" | "valid" };
  const output = (pool as typeof tf.maxPool3d)(input as tf.Tensor5D, a.filterSize, a.strides, a.pad);
  const rng = createRng(7);
  const dy = tf.tensor(
    Float32Array.from({ length: output.size }, () => rng.normal()),
    output.shape,
  );
  const info = fn({
    inputs: { dy, input, output },
    attrs: attrs as tf.NamedAttrMap,
    backend: tf.backend(),
  }) as tf.TensorInfo;
  const values = Float32Array.from(tf.backend().readSync(info.dataId) as Float32Array);
  tf.backend().disposeData(info.dataId);
  const dyValues = Float32Array.from(dy.dataSync());
  tf.dispose([input, output, dy]);
  return { values, dy: dyValues };
}

let cpuGrad2d: tf.KernelFunc;
let cpuGrad3d: tf.KernelFunc;
before(async () => {
  cpuGrad2d = tf.getKernel("MaxPoolGrad", "cpu")!.kernelFunc;
  cpuGrad3d = tf.getKernel("MaxPool3DGrad", "cpu")!.kernelFunc;
  await selectBackend("wasm");
});

describe("MaxPoolGrad / MaxPool3DGrad (bcpseg)", () => {
  it("routes dy to the first maximum, also in all-negative windows and ties (hand table)", async () => {
    // 4x4 single-channel, 2x2 windows: [-1 -5 | -2 -3], [-9 -4 | -6 -7] / [-8 0 | 2 2], [-13 -12 | 2 -14]
    const x = [-1, -5, -2, -3, -9, -4, -6, -7, -8, 0, 2, 2, -13, -12, 2, -14];
    const attrs = { filterSize: 2, strides: 2, pad: "valid" };
    for (const backend of ["wasm", "cpu"]) {
      const { values, dy } = await run(backend, configsFor(backend).MaxPoolGrad.kernelFunc, x, [1, 4, 4, 1], attrs);
      const want = new Float32Array(16);
      want[0] = dy[0];
      want[2] = dy[1];
      want[9] = dy[2];
      want[10] = dy[3];
      assert.deepEqual([...values], [...want], backend);
    }
  });

  const cases: [number[], object][] = [
    [[2, 7, 6, 3], { filterSize: 2, strides: 2, pad: "valid" }],
    [[1, 7, 7, 2], { filterSize: 3, strides: 2, pad: "same" }],
    [[1, 5, 6, 2], { filterSize: 3, strides: 1, pad: "same" }],
    [[1, 6, 5, 4, 2], { filterSize: 2, strides: 2, pad: "valid" }],
    [[2, 5, 5, 5, 1], { filterSize: 3, strides: 2, pad: "same" }],
  ];
  for (const [shape, attrs] of cases) {
    it(`equals tfjs-cpu on x ${shape} ${JSON.stringify(attrs)} (to 1e-6: overlapping windows sum in another order)`, async () => {
      const rng = createRng(shape.length * 100 + shape[1]);
      const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
      const name = shape.length === 4 ? "MaxPoolGrad" : "MaxPool3DGrad";
      const reference = await run("cpu", shape.length === 4 ? cpuGrad2d : cpuGrad3d, x, shape, attrs);
      for (const backend of ["wasm", "cpu"]) {
        const mine = await run(backend, configsFor(backend)[name].kernelFunc, x, shape, attrs);
        assert.equal(mine.values.length, reference.values.length);
        mine.values.forEach((v, i) => {
          const want = reference.values[i];
          assert.ok(Math.abs(v - want) <= 1e-6 * (1 + Math.abs(want)), `${backend} [${i}] ${v} vs ${want}`);
        });
      }
    });
  }
});
