import { largestComponentPerClass } from "../components/largest-component-per-class.ts";
import type { ModelContract } from "../contract/model-contract-schema.ts";
import { preprocess } from "../contract/preprocess.ts";
import { ArgumentError } from "../errors/bcp-error.ts";
import { slidingWindowInferenceAsync } from "../preprocess/sliding-window-inference.ts";
import { slidingWindowPlan } from "../preprocess/sliding-window-plan.ts";
import { softmax } from "../tensor/softmax.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { readStackSlice, writeStackSlice } from "./stack-slice.ts";

/** A model call: float32 input [N, 1, ...spatial] in, class scores [N, C, ...spatial] out. */
export type ModelRun = (input: Float32Array, shape: readonly number[]) => Promise<Float32Array>;

/** Options of {@link segmentImage}. */
export interface SegmentImageOptions {
  /** 2D models: the image is a volume [X, Y, Z] (NIfTI order) sliced along Z, slice z the [Y, X] image. */
  readonly slicesLast?: boolean;
  /** Apply the contract's intensity steps (default true; false when the image already carries them). */
  readonly intensity?: boolean;
  /** What `run` returns: "probs" (default, a softmax output) or "logits" (softmax taken here per run). */
  readonly output?: "probs" | "logits";
  /** Keep the largest component of each class (default: the contract's postprocessing). */
  readonly largestComponent?: boolean;
  /** A two-class output: foreground iff p1 > threshold (the official LA test: 0.5). More classes, or unset: argmax. */
  readonly threshold?: number;
  /** Also return the class probabilities [C, ...image shape]. */
  readonly probabilities?: boolean;
  /** 2D models: slices per run (default 1; eval-mode networks give the same result for any batch). */
  readonly batch?: number;
}

/** What {@link segmentImage} returns, in the geometry and axis order of the image passed in. */
export interface Segmentation {
  /** Class index per pixel/voxel, Uint8Array laid out `shape`. */
  readonly labels: Uint8Array;
  readonly shape: number[];
  /** Class probabilities Float32Array [C, ...shape] when asked for. */
  readonly probs?: Float32Array;
  readonly classes: number;
  /** Model runs (slice batches or windows). */
  readonly runs: number;
}

/**
 * THE inference pipeline of a model contract around an injected `run`: preprocess (core's, in the image's own
 * axis order) → run per slice batch (2D; the ACDC test protocol) or per sliding window with averaged
 * probabilities (3D; the LA test protocol) → argmax, or p1 > threshold → optional largest component per class
 * (the contract's connectivity) → labels restored to the input geometry. No transpose of the image.
 */
export async function segmentImage(
  contract: ModelContract,
  image: { readonly data: NumArray; readonly shape: Shape },
  run: ModelRun,
  options: SegmentImageOptions = {},
): Promise<Segmentation> {
  const fn = "segmentImage";
  const slicesLast = contract.task === "2d" && options.slicesLast === true;
  const batch = options.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new ArgumentError(fn, "options.batch", `must be >= 1, got ${batch}`);
  const t = options.threshold;
  if (t !== undefined && !(t >= 0 && t <= 1)) throw new ArgumentError(fn, "options.threshold", `must be in [0, 1]`);
  const prep = preprocess(contract, image, { slicesLast, intensity: options.intensity });
  const spatial = prep.info.spatialShape;
  const n = spatial.reduce((a, b) => a * b, 1);
  const logits = options.output === "logits";
  const lcc = options.largestComponent ?? contract.postprocessing.largestComponent;
  const connectivity = contract.postprocessing.connectivity;
  const keep = (labels: Uint8Array) =>
    lcc ? Uint8Array.from(largestComponentPerClass(labels, spatial, connectivity ? { connectivity } : {})) : labels;
  let runs = 0;
  let classes = 0;
  let work: Uint8Array;
  let probs: Float32Array | undefined; // [C, ...working shape] when asked for
  if (contract.task === "2d") {
    const slices = prep.info.slices;
    const workShape = slicesLast ? prep.inputShape : [slices, ...spatial];
    work = new Uint8Array(slices * n);
    const plane = new Float32Array(batch > 1 ? n : 0);
    for (let s0 = 0; s0 < slices; s0 += batch) {
      const b = Math.min(batch, slices - s0);
      const input = new Float32Array(b * n);
      for (let k = 0; k < b; k++) {
        if (b === 1)
          readStackSlice(prep.input, workShape, slicesLast, s0, input); // straight into the run's input
        else {
          readStackSlice(prep.input, workShape, slicesLast, s0 + k, plane);
          input.set(plane, k * n);
        }
      }
      const raw = await run(input, [b, 1, ...spatial]);
      runs++;
      if (classes === 0) classes = checkClasses(fn, raw.length, b * n);
      else if (raw.length !== b * classes * n) throw outputError(fn, raw.length, [b, classes, ...spatial]);
      const p = logits ? softmax(raw, [b, classes, ...spatial]) : raw;
      if (options.probabilities) probs ??= new Float32Array(classes * slices * n);
      for (let k = 0; k < b; k++) {
        const scores = p.subarray(k * classes * n, (k + 1) * classes * n);
        writeStackSlice(work, workShape, slicesLast, s0 + k, keep(decide(scores, classes, n, t)));
        if (probs) {
          for (let c = 0; c < classes; c++) {
            const view = probs.subarray(c * slices * n, (c + 1) * slices * n);
            writeStackSlice(view, workShape, slicesLast, s0 + k, scores.subarray(c * n, (c + 1) * n));
          }
        }
      }
    }
  } else {
    const stride = contract.inference.stride ?? contract.input.size;
    const plan = slidingWindowPlan(spatial, contract.input.size, stride);
    const r = await slidingWindowInferenceAsync(prep.input, spatial, plan, async (patch, patchShape) => {
      const raw = await run(patch, [1, 1, ...patchShape]);
      runs++;
      // The official test averages softmax outputs over windows, so a logits model is softmaxed per window.
      return logits ? softmax(raw, [1, raw.length / patch.length, ...patchShape]) : raw;
    });
    classes = checkClasses(fn, r.probs.length, n);
    work = keep(decide(r.probs, classes, n, t));
    if (options.probabilities) probs = r.probs;
  }
  const restored = prep.restore(work);
  let outProbs: Float32Array | undefined;
  if (probs) {
    const m = work.length;
    for (let c = 0; c < classes; c++) {
      const plane = prep.restore(probs.subarray(c * m, (c + 1) * m)).data;
      outProbs ??= new Float32Array(classes * plane.length);
      outProbs.set(plane, c * plane.length);
    }
  }
  return { labels: restored.data, shape: restored.shape, probs: outProbs, classes, runs };
}

/**
 * Class per position of scores [C, n]: p1 > threshold for two classes, else argmax (ties to the lowest class).
 * Two to four classes (every shipped contract) take unrolled loops; same comparisons, same answers.
 */
function decide(scores: Float32Array, classes: number, n: number, threshold: number | undefined): Uint8Array {
  const out = new Uint8Array(n);
  if (threshold !== undefined && classes === 2) {
    for (let i = 0; i < n; i++) out[i] = scores[n + i] > threshold ? 1 : 0;
    return out;
  }
  if (classes === 2) {
    for (let i = 0; i < n; i++) out[i] = scores[n + i] > scores[i] ? 1 : 0;
    return out;
  }
  if (classes === 3) {
    for (let i = 0; i < n; i++) {
      const v0 = scores[i];
      const v1 = scores[n + i];
      const g1 = v1 > v0;
      out[i] = scores[2 * n + i] > (g1 ? v1 : v0) ? 2 : g1 ? 1 : 0;
    }
    return out;
  }
  if (classes === 4) {
    for (let i = 0; i < n; i++) {
      const v0 = scores[i];
      const v1 = scores[n + i];
      const v2 = scores[2 * n + i];
      const g1 = v1 > v0;
      const m1 = g1 ? v1 : v0;
      const g2 = v2 > m1;
      out[i] = scores[3 * n + i] > (g2 ? v2 : m1) ? 3 : g2 ? 2 : g1 ? 1 : 0;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    let top = scores[i];
    for (let c = 1; c < classes; c++) {
      const v = scores[c * n + i];
      if (v > top) {
        top = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

function checkClasses(fn: string, length: number, positions: number): number {
  const classes = length / positions;
  if (!Number.isInteger(classes) || classes < 2 || classes > 256) {
    throw new ArgumentError(fn, "run", `returned ${length} values for ${positions} positions: not [N, C, ...] scores`);
  }
  return classes;
}

function outputError(fn: string, length: number, shape: number[]): ArgumentError {
  return new ArgumentError(fn, "run", `returned ${length} values, expected [${shape.join(", ")}]`);
}
