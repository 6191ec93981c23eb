// Test-only helpers shared by the export tests (named .test.ts so the build leaves it out; it holds no tests):
// both onnxruntime bindings, running a model once, and comparisons.
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import type { OrtModule } from "./ort-module.ts";

ortWeb.env.wasm.numThreads = 1;

/** onnxruntime-node (native CPU) and onnxruntime-web (wasm EP, 1 thread), by name. */
export const RUNTIMES: readonly (readonly [string, OrtModule])[] = [
  ["onnxruntime-node", ortNode],
  ["onnxruntime-web", ortWeb],
];

/** Runs `bytes` once on `input` of `shape`; returns every output's data. */
export async function runOnce(ort: OrtModule, bytes: Uint8Array, input: Float32Array, shape: readonly number[]) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor("float32", input, [...shape]) });
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { data: v.data, dims: v.dims }]));
  } finally {
    await session.release();
  }
}

/** Largest |a − b|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Argmax over the class axis of probabilities [N, C, ...spatial]. */
export function argmaxClasses(p: ArrayLike<number>, n: number, c: number): Uint8Array {
  const per = p.length / (n * c);
  const out = new Uint8Array(n * per);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < per; i++) {
      let best = 0;
      for (let k = 1; k < c; k++) if (p[(b * c + k) * per + i] > p[(b * c + best) * per + i]) best = k;
      out[b * per + i] = best;
    }
  return out;
}
