import { ShapeError } from "../errors/bcp-error.ts";
import { centredOffsets, cropOrPad } from "../preprocess/crop-or-pad.ts";
import { resizeBilinear } from "../preprocess/resize-bilinear.ts";
import { zoomNearest } from "../preprocess/zoom-nearest.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import type { ModelContract, PreprocessStep } from "./model-contract-schema.ts";
import { applyIntensityStep } from "./normalize-intensity.ts";
import type { GeometryStep, PreprocessInfo } from "./preprocess-info.ts";
import { restoreLabels } from "./restore-labels.ts";
import { type StackLayout, stackLayout } from "./stack-layout.ts";

/** Options of {@link preprocess}. */
export interface PreprocessOptions {
  /**
   * 2D models: the image is a volume [X, Y, Z] (NIfTI order) whose slice z is the [Y, X] image, instead of a
   * stack [S, H, W]. Preprocessing then runs in that order (no transpose): `input` is [X', Y', Z].
   */
  readonly slicesLast?: boolean;
  /** Apply the contract's normalize/clip steps (default true; false when the image already carries them). */
  readonly intensity?: boolean;
}

/** Output of {@link preprocess}: the model input, the plain-data info, and `restore` bound to that info. */
export interface Preprocessed {
  /**
   * Float32Array laid out `inputShape`: [N, 1, H, W] (N slices, 2D models), [1, 1, X, Y, Z] (3D models), or
   * — `slicesLast` — the volume [W', H', N] in the image's own order, slice n being the [H', W'] input.
   */
  readonly input: Float32Array;
  readonly inputShape: number[];
  readonly info: PreprocessInfo;
  /** Maps a predicted label map (model geometry, the image's order) back to the original = restoreLabels(labels, info). */
  restore<T extends NumArray>(labels: T): { data: T; shape: number[] };
}

/**
 * THE preprocessing path of a model (trainer and edge API both call it): applies the contract's steps in
 * order to a slice [H, W] or stack [S, H, W] (2D models, steps act on each slice; `slicesLast`: a volume
 * [X, Y, Z] sliced along Z) or a volume [X, Y, Z] (3D models). Any numeric typed array is accepted and
 * converted to float32 first. A 2D result must have the contract's input size; a 3D volume may have any
 * size (sliding-window inference pads/tiles it).
 */
export function preprocess(
  contract: ModelContract,
  image: { readonly data: NumArray; readonly shape: Shape },
  options: PreprocessOptions = {},
): Preprocessed {
  const fn = "preprocess";
  const is2d = contract.task === "2d";
  const slicesLast = is2d && options.slicesLast === true;
  checkShape(fn, "image.shape", image.shape, slicesLast ? [3] : is2d ? [2, 3] : [3]);
  checkData(fn, "image.data", image.data, image.shape);
  const originalShape = [...image.shape];
  const layout = stackLayout(contract.task, slicesLast);
  // Work on [S, H, W] / [X, Y, S] for 2D models (a single slice is a stack of one), [X, Y, Z] for 3D models.
  let shape = is2d && originalShape.length === 2 ? [1, ...originalShape] : [...originalShape];
  let data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data);
  const geometry: GeometryStep[] = [];
  for (const step of contract.preprocessing) {
    if ((step.op === "normalize" || step.op === "clip") && options.intensity === false) continue;
    const from = layout.spatial(shape);
    [data, shape] = applyStep(step, data, shape, layout, slicesLast);
    if (step.op === "resize") {
      geometry.push({ op: "resize", from, to: layout.spatial(shape), scipyEdgeQuirk: step.scipyEdgeQuirk });
    } else if (step.op === "cropOrPad") {
      geometry.push({ op: "cropOrPad", from, to: layout.spatial(shape), offsets: centredOffsets(from, step.size) });
    }
  }
  const spatialShape = layout.spatial(shape);
  if (is2d && spatialShape.join() !== contract.input.size.join()) {
    throw new ShapeError(
      fn,
      "image",
      `gives slices of [${spatialShape.join(", ")}] after preprocessing, the model wants [${contract.input.size.join(", ")}]`,
    );
  }
  const slices = layout.slices(shape);
  const info: PreprocessInfo = {
    task: contract.task,
    originalShape,
    slices,
    spatialShape,
    ...(slicesLast ? { slicesLast } : {}),
    geometry,
  };
  return {
    input: data === image.data ? data.slice() : data,
    inputShape: slicesLast ? [...shape] : [slices, 1, ...spatialShape],
    info,
    restore: (labels) => restoreLabels(labels, info),
  };
}

function applyStep(
  step: PreprocessStep,
  data: Float32Array,
  shape: number[],
  layout: StackLayout,
  slicesLast: boolean,
): [Float32Array, number[]] {
  switch (step.op) {
    case "normalize":
    case "clip":
      if (slicesLast) return [intensitySlicesLast(step, data, shape), shape];
      return [applyIntensityStep(step, data, shape, shape.length - layout.spatial(shape).length), shape];
    case "resize": {
      const to = layout.work(step.size, layout.slices(shape));
      // Already the size: nearest sampling and linear interpolation at the source points are the identity.
      if (to.join() === shape.join()) return [data, to];
      if (step.mode === "nearest") return [zoomNearest(data, shape, to, { scipyEdgeQuirk: step.scipyEdgeQuirk }), to];
      return [resizeBilinear(data, shape, to, { alignCorners: step.alignCorners }), to];
    }
    case "cropOrPad": {
      const to = layout.work(step.size, layout.slices(shape));
      if (to.join() === shape.join()) return [data, to]; // centred offsets are all 0
      const offsets = layout.axes(centredOffsets(layout.spatial(shape), step.size));
      return [cropOrPad(data, shape, to, { offsets, fill: step.fill }), to];
    }
  }
}

/** An intensity step on a slices-last stack [X, Y, S]: per image as is; per slice on each strided slice. */
function intensitySlicesLast(
  step: Extract<PreprocessStep, { op: "normalize" | "clip" }>,
  data: Float32Array,
  shape: number[],
): Float32Array {
  if (step.op === "clip" || step.scope === "image" || shape[2] === 1) return applyIntensityStep(step, data, shape, 0);
  const [x, y, s] = shape;
  const out = new Float32Array(data.length);
  const plane = new Float32Array(x * y);
  for (let k = 0; k < s; k++) {
    for (let i = 0; i < x * y; i++) plane[i] = data[i * s + k];
    const r = applyIntensityStep(step, plane, [x, y], 0);
    for (let i = 0; i < x * y; i++) out[i * s + k] = r[i];
  }
  return out;
}
