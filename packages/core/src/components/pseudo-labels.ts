import { ArgumentError, ShapeError } from "../errors/bcp-error.ts";
import { checkFloat, checkRange, checkShape, sizeOf } from "../tensor/check.ts";
import { argmaxChannels, softmax } from "../tensor/softmax.ts";
import type { FloatArray, Shape } from "../tensor/types.ts";
import { type Connectivity, neighbourhood } from "./connectivity.ts";
import { writeLargest } from "./largest-component.ts";
import { writeLargestPerClass } from "./largest-component-per-class.ts";

/** Options of pseudoLabels. */
export interface PseudoLabelOptions {
  /**
   * "argmax" (default): class = argmax of the softmax, ties → lowest index (ACDC get_ACDC_masks).
   * "threshold": foreground iff softmax channel 1 ≥ threshold, an exact tie is foreground (LA get_cut_mask).
   */
  readonly mode?: "argmax" | "threshold";
  /** Probability threshold of "threshold" mode; default 0.5. */
  readonly threshold?: number;
  /** Keep only the largest component (per class in "argmax" mode); default true (official nms = 1). */
  readonly largestComponent?: boolean;
  /** Default 8 in 2D, 26 in 3D (skimage default); 18 gives the Pancreas variant. */
  readonly connectivity?: Connectivity;
}

/**
 * Hard pseudo labels from teacher logits `[N, C, H, W]` or `[N, C, X, Y, Z]` (float32/64) → Int32Array
 * `[N, H, W]` / `[N, X, Y, Z]`: softmax, argmax or threshold, then optional largest-component cleaning.
 */
export function pseudoLabels(logits: FloatArray, shape: Shape, options: PseudoLabelOptions = {}): Int32Array {
  const fn = "pseudoLabels";
  checkShape(fn, "shape", shape, [4, 5]);
  checkFloat(fn, "logits", logits, shape);
  const { mode = "argmax", threshold = 0.5, largestComponent = true } = options;
  if (mode !== "argmax" && mode !== "threshold") {
    throw new ArgumentError(fn, "mode", `must be "argmax" or "threshold", got ${String(mode)}`);
  }
  checkRange(fn, "threshold", threshold, 0, 1);
  if (typeof largestComponent !== "boolean") {
    throw new ArgumentError(fn, "largestComponent", `must be a boolean, got ${String(largestComponent)}`);
  }
  const [n, c, ...spatial] = shape;
  if (mode === "threshold" && c < 2) {
    throw new ShapeError(fn, "shape", `needs at least 2 channels in "threshold" mode, got ${c}`);
  }
  const hood = neighbourhood(fn, spatial.length, options.connectivity);
  const [d0, d1, d2] = spatial.length === 3 ? spatial : [1, spatial[0], spatial[1]];
  const s = sizeOf(spatial);
  const probs = softmax(logits, shape);

  if (mode === "argmax") {
    const hard = argmaxChannels(probs, shape);
    if (!largestComponent) return hard;
    const out = new Int32Array(n * s);
    for (let b = 0; b < n; b++) {
      writeLargestPerClass(hard.subarray(b * s, (b + 1) * s), d0, d1, d2, hood, undefined, out, b * s);
    }
    return out;
  }

  // float32 probabilities compared as the official torch code does: (softmax(out, 1) >= thres)[:, 1].
  const mask = largestComponent ? new Uint8Array(n * s) : new Int32Array(n * s);
  for (let b = 0; b < n; b++) {
    const p1 = (b * c + 1) * s;
    for (let i = 0; i < s; i++) mask[b * s + i] = probs[p1 + i] >= threshold ? 1 : 0;
  }
  if (!largestComponent) return mask as Int32Array;
  const out = new Int32Array(n * s);
  for (let b = 0; b < n; b++) writeLargest(mask.subarray(b * s, (b + 1) * s), d0, d1, d2, hood, out, b * s);
  return out;
}
