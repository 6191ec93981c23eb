import { type Segmentation, segmentImage } from "@bcpseg/core";
import { HttpError } from "../http/http-error.ts";
import type { ServedModel } from "./served-model.ts";

export type { Segmentation };

export interface SegmentOptions {
  /** Keep the largest connected component of each class (default: the contract's postprocessing). */
  readonly largestComponent?: boolean;
  readonly probabilities?: boolean;
  /** 2D models: the image is a NIfTI volume [X, Y, Z], segmented slice by slice along Z in its own axis order. */
  readonly slicesLast?: boolean;
  /** Date.now() past which the next model run is not started (ERR_TIMEOUT). */
  readonly deadline?: number;
}

/**
 * Segments an image with core's pipeline (segmentImage: the contract's preprocessing, per-slice or
 * sliding-window runs, argmax, optional largest component, labels restored to the input geometry) on the
 * model's session; this adapter only adds the request's deadline, checked before each run.
 */
export function segment(
  model: ServedModel,
  image: { readonly data: Float32Array; readonly shape: readonly number[] },
  options: SegmentOptions = {},
): Promise<Segmentation> {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  return segmentImage(
    model.info.contract,
    image,
    (input, shape) => {
      if (Date.now() > deadline) throw new HttpError(503, "ERR_TIMEOUT", "segmentation ran past the time limit");
      return model.run(input, shape);
    },
    {
      largestComponent: options.largestComponent,
      probabilities: options.probabilities,
      slicesLast: options.slicesLast,
    },
  );
}
