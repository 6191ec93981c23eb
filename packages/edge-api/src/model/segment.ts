import {
  argmaxChannels,
  largestComponentPerClass,
  preprocess,
  slidingWindowInferenceAsync,
  slidingWindowPlan,
} from "@bcpseg/core";
import { HttpError } from "../http/http-error.ts";
import type { ServedModel } from "./served-model.ts";

/** What {@link segment} returns, in the geometry of the image passed in. */
export interface Segmentation {
  /** Class index per pixel/voxel, layout `shape`. */
  readonly labels: Uint8Array;
  readonly shape: number[];
  /** Class probabilities [C, ...shape] when asked for. */
  readonly probs?: Float32Array;
  readonly classes: number;
  /** Model runs (slices or windows). */
  readonly runs: number;
}

export interface SegmentOptions {
  /** Keep the largest connected component of each class (default: the contract's postprocessing). */
  readonly largestComponent?: boolean;
  readonly probabilities?: boolean;
  /** Date.now() past which the next model run is not started (ERR_TIMEOUT). */
  readonly deadline?: number;
}

/**
 * Segments an image with core's preprocessing of the model's contract: a slice [H, W] or stack [S, H, W]
 * slice by slice (2D models), a volume [X, Y, Z] by sliding window (3D models); argmax, optional largest
 * component per class, then the labels are mapped back to the input geometry (core's restoreLabels).
 */
export async function segment(
  model: ServedModel,
  image: { readonly data: Float32Array; readonly shape: readonly number[] },
  options: SegmentOptions = {},
): Promise<Segmentation> {
  const { contract } = model.info;
  const prep = preprocess(contract, image);
  const spatial = prep.info.spatialShape;
  const n = spatial.reduce((a, b) => a * b, 1);
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const checkTime = () => {
    if (Date.now() > deadline) throw new HttpError(503, "ERR_TIMEOUT", "segmentation ran past the time limit");
  };
  let probs: Float32Array;
  let classes: number;
  let runs = 0;
  if (contract.task === "2d") {
    const slices = prep.info.slices;
    let all: Float32Array | undefined;
    classes = 0;
    for (let s = 0; s < slices; s++) {
      checkTime();
      const p = await model.run(prep.input.subarray(s * n, (s + 1) * n), [1, 1, ...spatial]);
      runs++;
      if (all === undefined) {
        classes = p.length / n;
        all = new Float32Array(slices * classes * n);
      }
      all.set(p, s * classes * n);
    }
    probs = all as Float32Array;
  } else {
    const stride = contract.inference.stride ?? contract.input.size;
    const plan = slidingWindowPlan(spatial, contract.input.size, stride);
    const r = await slidingWindowInferenceAsync(prep.input, spatial, plan, async (patch, patchShape) => {
      checkTime();
      runs++;
      return model.run(patch, [1, 1, ...patchShape]);
    });
    probs = r.probs;
    classes = r.shape[0];
  }
  const lead = contract.task === "2d" ? prep.info.slices : 1;
  const labelsModel = argmaxChannels(probs, [lead, classes, ...spatial]);
  const lcc = options.largestComponent ?? contract.postprocessing.largestComponent;
  if (lcc) {
    const connectivity = contract.postprocessing.connectivity;
    for (let s = 0; s < lead; s++) {
      const view = labelsModel.subarray(s * n, (s + 1) * n);
      view.set(largestComponentPerClass(view, spatial, connectivity ? { connectivity } : {}));
    }
  }
  const restored = prep.restore(Uint8Array.from(labelsModel));
  let outProbs: Float32Array | undefined;
  if (options.probabilities) outProbs = restoreProbs(probs, lead, classes, n, prep.restore);
  return { labels: restored.data, shape: restored.shape, probs: outProbs, classes, runs };
}

/** Probabilities [N, C, ...spatial] in model geometry → [C, ...original] through the labels' restore. */
function restoreProbs(
  probs: Float32Array,
  lead: number,
  classes: number,
  n: number,
  restore: (x: Float32Array) => { data: Float32Array },
): Float32Array {
  let out: Float32Array | undefined;
  for (let c = 0; c < classes; c++) {
    const plane = new Float32Array(lead * n);
    for (let s = 0; s < lead; s++) plane.set(probs.subarray((s * classes + c) * n, (s * classes + c + 1) * n), s * n);
    const r = restore(plane).data;
    out ??= new Float32Array(classes * r.length);
    out.set(r, c * r.length);
  }
  return out as Float32Array;
}
