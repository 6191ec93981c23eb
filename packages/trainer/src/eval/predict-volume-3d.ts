import { ArgumentError, largestComponent, slidingWindowInference, slidingWindowPlan } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import type { Segmenter } from "./types.ts";

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
export function predictVolume3d(
  model: Segmenter,
  image: Float32Array,
  shape: readonly number[],
  options: PredictVolume3dOptions,
): Uint8Array {
  if (shape.length !== 3) throw new ArgumentError("predictVolume3d", "shape", `must be [X, Y, Z], got [${shape}]`);
  const plan = slidingWindowPlan([...shape], [...options.patch], [...options.stride]);
  const { probs } = slidingWindowInference(image, [...shape], plan, (patch, patchShape) =>
    tf.tidy(() => {
      const logits = model.apply(tf.tensor(patch, [1, ...patchShape, 1]), { training: false });
      const p = tf.softmax(logits, -1);
      return tf.transpose(p, [0, 4, 1, 2, 3]).dataSync() as Float32Array;
    }),
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
