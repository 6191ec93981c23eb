import type { Rng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";

/** A float32 tensor of i.i.d. U(-bound, bound) draws from `rng` (PyTorch's default conv/linear initialisation). */
export function uniformInit(rng: Rng, shape: number[], bound: number): tf.Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float32Array(n);
  // One uint32 per draw: u = k / 2^32 ∈ [0, 1), then w = (2u − 1)·bound.
  for (let i = 0; i < n; i++) data[i] = (rng.nextUint32() * 2.3283064365386963e-10 * 2 - 1) * bound;
  return tf.tensor(data, shape, "float32");
}
