import { ArgumentError, ShapeError } from "../errors/bcp-error.ts";
import { checkFloat, checkSameShape, checkShape, sizeOf } from "../tensor/check.ts";
import type { FloatArray, Shape } from "../tensor/types.ts";
import { cropOrPad } from "./crop-or-pad.ts";
import { stridesOf } from "./nd.ts";
import type { SlidingWindowPlan } from "./sliding-window-plan.ts";
import { slidingWindowWeights } from "./sliding-window-weights.ts";
import { forEachPatchRow, forEachWindow } from "./window-walk.ts";

/** A model on one patch: Float32Array patch laid out `patchShape` → Float32Array probabilities [C, ...patchShape]. */
export type PredictPatch = (patch: Float32Array, patchShape: readonly number[]) => Float32Array;
/** The asynchronous form of {@link PredictPatch} (onnxruntime, tfjs `data()`). */
export type PredictPatchAsync = (patch: Float32Array, patchShape: readonly number[]) => Promise<Float32Array>;

/** Averaged class probabilities over the unpadded volume: Float32Array, layout [C, ...volumeShape]. */
export interface SlidingWindowResult {
  readonly probs: Float32Array;
  readonly shape: number[];
}

/**
 * Sliding-window inference over a float volume ([X, Y, Z] or [H, W]) laid out as `plan.volumeShape`:
 * zero-pads per the plan, runs `predict` on every window (official loop order), sums the probabilities
 * in float64, divides by the per-voxel window count and crops the padding back (test_single_case).
 */
export function slidingWindowInference(
  volume: FloatArray,
  shape: Shape,
  plan: SlidingWindowPlan,
  predict: PredictPatch,
): SlidingWindowResult {
  const acc = new Accumulator("slidingWindowInference", volume, shape, plan);
  forEachWindow(plan, (start) => acc.add(start, predict(acc.patchAt(start), plan.patch)));
  return acc.finish();
}

/** {@link slidingWindowInference} with a Promise-returning model; windows run one after another. */
export async function slidingWindowInferenceAsync(
  volume: FloatArray,
  shape: Shape,
  plan: SlidingWindowPlan,
  predict: PredictPatchAsync,
): Promise<SlidingWindowResult> {
  const acc = new Accumulator("slidingWindowInferenceAsync", volume, shape, plan);
  const starts: number[][] = [];
  forEachWindow(plan, (start) => starts.push(start));
  for (const start of starts) acc.add(start, await predict(acc.patchAt(start), plan.patch));
  return acc.finish();
}

class Accumulator {
  private readonly padded: Float32Array;
  private readonly strides: number[];
  private readonly patchN: number;
  private readonly padN: number;
  private readonly fn: string;
  private readonly plan: SlidingWindowPlan;
  private sum: Float64Array | undefined;
  private channels = 0;

  constructor(fn: string, volume: FloatArray, shape: Shape, plan: SlidingWindowPlan) {
    this.fn = fn;
    this.plan = plan;
    checkShape(fn, "shape", shape);
    checkFloat(fn, "volume", volume, shape);
    if (!plan || !Array.isArray(plan.volumeShape) || !Array.isArray(plan.starts)) {
      throw new ArgumentError(fn, "plan", "must come from slidingWindowPlan");
    }
    checkSameShape(fn, "shape", plan.volumeShape, shape);
    const src = volume instanceof Float32Array ? volume : Float32Array.from(volume);
    this.padded = cropOrPad(src, shape, plan.paddedShape, { offsets: plan.padBefore.map((p) => -p) });
    this.strides = stridesOf(plan.paddedShape);
    this.patchN = sizeOf(plan.patch);
    this.padN = sizeOf(plan.paddedShape);
  }

  patchAt(start: number[]): Float32Array {
    const patch = new Float32Array(this.patchN);
    forEachPatchRow(this.plan.patch, this.strides, start, (off, len, p) => {
      patch.set(this.padded.subarray(off, off + len), p);
    });
    return patch;
  }

  add(start: number[], probs: Float32Array): void {
    const raw: unknown = probs;
    if (!(raw instanceof Float32Array || raw instanceof Float64Array) || probs.length % this.patchN !== 0) {
      throw new ShapeError(this.fn, "predict()", `must return [C, ${this.plan.patch.join(", ")}] floats`);
    }
    const c = probs.length / this.patchN;
    if (this.sum === undefined) {
      if (c < 1) throw new ShapeError(this.fn, "predict()", "returned no channels");
      this.channels = c;
      this.sum = new Float64Array(c * this.padN);
    } else if (c !== this.channels) {
      throw new ShapeError(this.fn, "predict()", `returned ${c} channels after ${this.channels}`);
    }
    const sum = this.sum;
    forEachPatchRow(this.plan.patch, this.strides, start, (off, len, p) => {
      for (let ch = 0; ch < c; ch++) {
        const d = ch * this.padN + off;
        const s = ch * this.patchN + p;
        for (let k = 0; k < len; k++) sum[d + k] += probs[s + k];
      }
    });
  }

  finish(): SlidingWindowResult {
    const sum = this.sum as Float64Array;
    const cnt = slidingWindowWeights(this.plan);
    const avg = new Float32Array(sum.length);
    for (let ch = 0; ch < this.channels; ch++) {
      const b = ch * this.padN;
      for (let i = 0; i < this.padN; i++) avg[b + i] = sum[b + i] / cnt[i];
    }
    const shape = [this.channels, ...this.plan.volumeShape];
    const probs = cropOrPad(avg, [this.channels, ...this.plan.paddedShape], shape, {
      offsets: [0, ...this.plan.padBefore],
    });
    return { probs, shape };
  }
}
