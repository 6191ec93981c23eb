import { ShapeError } from "../errors/bcp-error.ts";
import { checkShape } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";
import type { ModelContract } from "./model-contract-schema.ts";

/** What {@link preprocessShape} returns: the geometry preprocess would give, no data touched. */
export interface PreprocessShape {
  /** Slices of a 2D model's stack (1 for a single slice); 1 for a 3D model. */
  readonly slices: number;
  /** The spatial shape each slice (2D) or the volume (3D) has after the contract's steps. */
  readonly spatialShape: number[];
}

/**
 * The shape `preprocess(contract, { data, shape })` would produce, from the shape alone: resize and cropOrPad
 * set the spatial size, the intensity steps keep it. Throws the same ShapeError preprocess would, so a caller
 * can size (and refuse) the work before allocating anything.
 */
export function preprocessShape(contract: ModelContract, shape: Shape): PreprocessShape {
  const fn = "preprocess";
  const is2d = contract.task === "2d";
  checkShape(fn, "image.shape", shape, is2d ? [2, 3] : [3]);
  const slices = is2d && shape.length === 3 ? shape[0] : 1;
  let spatialShape = is2d ? shape.slice(-2) : [...shape];
  for (const step of contract.preprocessing) {
    if (step.op === "resize" || step.op === "cropOrPad") spatialShape = [...step.size];
  }
  if (is2d && spatialShape.join() !== contract.input.size.join()) {
    throw new ShapeError(
      fn,
      "image",
      `gives slices of [${spatialShape.join(", ")}] after preprocessing, the model wants [${contract.input.size.join(", ")}]`,
    );
  }
  return { slices, spatialShape };
}
