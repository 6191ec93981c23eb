import { ArgumentError, largestComponent, slidingWindowInferenceAsync, slidingWindowPlan } from "@bcpseg/core";
import { logitsOf } from "./logits-of.ts";
import type { EvalModel } from "./types.ts";

/** Options of {@link predictVolume3d}. */
export interface PredictVolume3dOptions {
  /** Window size [X, Y, Z] (LA 112x112x80). */
  readonly patch: readonly number[];
  /** Window stride per axis (LA [18, 18, 4]). */
  readonly stride: readonly number[];
  /** Two classes: foreground iff the averaged p1 > threshold (strict, official 0.5). */
  readonly threshold?: number;
  /** Keep the largest 26-connected foreground component (official test: yes; training validation: no). */
  readonly largestComponent?: boolean;
}

/**
 * The LA test protocol on a [X, Y, Z] float32 volume: sliding-window softmax averaged over windows (zero-padded
 * where the volume is smaller than the patch), then p1 > threshold for two classes (argmax for more), then
 * optionally the largest component. Uint8Array [X, Y, Z].
 */
export async function predictVolume3d(
  model: EvalModel,
  image: Float32Array,
  shape: readonly number[],
  options: PredictVolume3dOptions,
): Promise<Uint8Array> {
  if (shape.length !== 3) throw new ArgumentError("predictVolume3d", "shape", `must be [X, Y, Z], got [${shape}]`);
  const plan = slidingWindowPlan([...shape], [...options.patch], [...options.stride]);
  const run = logitsOf(model);
  const { probs } = await slidingWindowInferenceAsync(image, [...shape], plan, async (patch, patchShape) =>
    softmaxChannels(await run(patch, [1, 1, ...patchShape]), patch.length),
  );
  const n = image.length;
  const c = probs.length / n;
  const threshold = options.threshold ?? 0.5;
  const out = new Uint8Array(n);
  if (c === 2) {
    for (let i = 0; i < n; i++) out[i] = probs[n + i] > threshold ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < c; k++) if (probs[k * n + i] > probs[best * n + i]) best = k;
      out[i] = best;
    }
  }
  if (!options.largestComponent) return out;
  if (c !== 2) throw new ArgumentError("predictVolume3d", "options.largestComponent", "applies to two classes only");
  return largestComponent(out, [...shape], { connectivity: 26 });
}

/** Softmax over the class axis of channels-first logits [1, C, n] (float32 math, max-subtracted). */
function softmaxChannels(logits: Float32Array, n: number): Float32Array {
  const c = logits.length / n;
  const out = new Float32Array(logits.length);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, logits[k * n + i]);
    let sum = 0;
    for (let k = 0; k < c; k++) {
      const e = Math.exp(logits[k * n + i] - max);
      out[k * n + i] = e;
      sum += e;
    }
    for (let k = 0; k < c; k++) out[k * n + i] /= sum;
  }
  return out;
}
