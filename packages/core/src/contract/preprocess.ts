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

/** Output of {@link preprocess}: the model input, the plain-data info, and `restore` bound to that info. */
export interface Preprocessed {
  /** Float32Array laid out `inputShape`: [N, 1, H, W] (N slices, 2D models) or [1, 1, X, Y, Z] (3D models). */
  readonly input: Float32Array;
  readonly inputShape: number[];
  readonly info: PreprocessInfo;
  /** Maps a predicted label map ([N, H, W] or [X, Y, Z]) back to the original geometry = restoreLabels(labels, info). */
  restore<T extends NumArray>(labels: T): { data: T; shape: number[] };
}

/**
 * THE preprocessing path of a model (trainer and edge API both call it): applies the contract's steps in
 * order to a slice [H, W] or stack [S, H, W] (2D models, steps act on each slice) or a volume [X, Y, Z]
 * (3D models). Any numeric typed array is accepted and converted to float32 first. A 2D result must have
 * the contract's input size; a 3D volume may have any size (sliding-window inference pads/tiles it).
 */
export function preprocess(
  contract: ModelContract,
  image: { readonly data: NumArray; readonly shape: Shape },
): Preprocessed {
  const fn = "preprocess";
  const is2d = contract.task === "2d";
  checkShape(fn, "image.shape", image.shape, is2d ? [2, 3] : [3]);
  checkData(fn, "image.data", image.data, image.shape);
  const originalShape = [...image.shape];
  // Work on [S, H, W] for 2D models (a single slice is a stack of one), [X, Y, Z] for 3D models.
  let shape = is2d && originalShape.length === 2 ? [1, ...originalShape] : [...originalShape];
  let data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data);
  const lead = is2d ? 1 : 0;
  const geometry: GeometryStep[] = [];
  for (const step of contract.preprocessing) {
    const from = shape.slice(lead);
    [data, shape] = applyStep(step, data, shape, lead);
    if (step.op === "resize") {
      geometry.push({ op: "resize", from, to: shape.slice(lead), scipyEdgeQuirk: step.scipyEdgeQuirk });
    } else if (step.op === "cropOrPad") {
      geometry.push({ op: "cropOrPad", from, to: shape.slice(lead), offsets: centredOffsets(from, step.size) });
    }
  }
  const spatialShape = shape.slice(lead);
  if (is2d && spatialShape.join() !== contract.input.size.join()) {
    throw new ShapeError(
      fn,
      "image",
      `gives slices of [${spatialShape.join(", ")}] after preprocessing, the model wants [${contract.input.size.join(", ")}]`,
    );
  }
  const slices = is2d ? shape[0] : 1;
  const info: PreprocessInfo = { task: contract.task, originalShape, slices, spatialShape, geometry };
  return {
    input: data === image.data ? data.slice() : data,
    inputShape: [slices, 1, ...spatialShape],
    info,
    restore: (labels) => restoreLabels(labels, info),
  };
}

function applyStep(step: PreprocessStep, data: Float32Array, shape: number[], lead: number): [Float32Array, number[]] {
  switch (step.op) {
    case "normalize":
    case "clip":
      return [applyIntensityStep(step, data, shape, lead), shape];
    case "resize": {
      const to = [...shape.slice(0, lead), ...step.size];
      // Already the size: nearest sampling and linear interpolation at the source points are the identity.
      if (sameSize(shape, lead, step.size)) return [data, to];
      if (step.mode === "nearest") return [zoomNearest(data, shape, to, { scipyEdgeQuirk: step.scipyEdgeQuirk }), to];
      return [resizeBilinear(data, shape, to, { alignCorners: step.alignCorners }), to];
    }
    case "cropOrPad": {
      const to = [...shape.slice(0, lead), ...step.size];
      if (sameSize(shape, lead, step.size)) return [data, to]; // centred offsets are all 0
      const offsets = [...shape.slice(0, lead).map(() => 0), ...centredOffsets(shape.slice(lead), step.size)];
      return [cropOrPad(data, shape, to, { offsets, fill: step.fill }), to];
    }
  }
}

function sameSize(shape: readonly number[], lead: number, size: readonly number[]): boolean {
  return shape.length - lead === size.length && size.every((d, i) => shape[lead + i] === d);
}
