import { ArgumentError } from "../errors/bcp-error.ts";
import { checkBinaryMask } from "../mask/check-mask.ts";
import { checkData, checkFloat, checkRange, checkShape } from "../tensor/check.ts";
import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";
import { checkIntLabels } from "./int-labels.ts";
import { mixImages } from "./mix-images.ts";
import { mixLabels } from "./mix-labels.ts";
import type { LabeledRegion, MixedBatch } from "./mixed-batch.ts";
import { halfShape, halves } from "./sub-batches.ts";

/** Which sub-batches feed which mix (the official scripts differ; results are symmetric). */
export type MixPairing = "acdc" | "la";

/** Labeled half of the batch: images [2S, C, ...spatial], ground truth [2S, ...spatial]; a = rows [0:S], b = [S:2S]. */
export interface LabeledBatch {
  readonly images: FloatArray;
  readonly labels: NumArray;
}

/** Unlabeled half: images [2S, C, ...spatial], teacher pseudo labels [2S, ...spatial] (plab_a then plab_b). */
export interface UnlabeledBatch {
  readonly images: FloatArray;
  readonly pseudoLabels: NumArray;
}

export interface BidirectionalMixOptions {
  /**
   * "acdc" (default, ACDC_BCP_train.py): unlabeledFrame = uimg_a*M + img_a*(1-M), labeledFrame = img_b*M +
   * uimg_b*(1-M). "la" (LA_BCP_train.py): labeledFrame = img_a*M + unimg_a*(1-M), unlabeledFrame = unimg_b*M +
   * img_b*(1-M).
   */
  readonly pairing?: MixPairing;
  /** Weight of the region cut from labeled images (official l_weight, default 1). */
  readonly labeledWeight?: number;
  /** Weight of the region cut from unlabeled images (official u_weight = paper α, default 0.5). */
  readonly unlabeledWeight?: number;
}

/**
 * The two BCP mixes. Paper correspondence (§3.4): `labeledFrame` is X_in = X^l ⊙ M + X^u ⊙ (1 − M)
 * (ACDC `net_input_l`, LA `mixl_img`); `unlabeledFrame` is X_out = X^u ⊙ M + X^l ⊙ (1 − M) (ACDC `net_input_unl`,
 * LA `mixu_img`).
 */
export interface BidirectionalMix {
  readonly labeledFrame: MixedBatch;
  readonly unlabeledFrame: MixedBatch;
}

const FN = "bidirectionalMix";

/** Bidirectional copy-paste of a labeled and an unlabeled batch, each [2S, C, ...spatial] (shape), with one box mask. */
export function bidirectionalMix(
  labeled: LabeledBatch,
  unlabeled: UnlabeledBatch,
  mask: NumArray,
  shape: Shape,
  options: BidirectionalMixOptions = {},
): BidirectionalMix {
  const { pairing = "acdc", labeledWeight = 1, unlabeledWeight = 0.5 } = options;
  if (pairing !== "acdc" && pairing !== "la") {
    throw new ArgumentError(FN, "options.pairing", `must be "acdc" or "la", got ${String(pairing)}`);
  }
  checkRange(FN, "options.labeledWeight", labeledWeight, 0, Number.MAX_VALUE);
  checkRange(FN, "options.unlabeledWeight", unlabeledWeight, 0, Number.MAX_VALUE);
  checkShape(FN, "shape", shape, [4, 5]);
  const labelFull = [shape[0], ...shape.slice(2)];
  checkFloat(FN, "labeled.images", labeled?.images, shape);
  checkData(FN, "labeled.labels", labeled.labels, labelFull);
  checkFloat(FN, "unlabeled.images", unlabeled?.images, shape);
  checkData(FN, "unlabeled.pseudoLabels", unlabeled.pseudoLabels, labelFull);
  checkIntLabels(FN, "labeled.labels", labeled.labels);
  checkIntLabels(FN, "unlabeled.pseudoLabels", unlabeled.pseudoLabels);
  checkBinaryMask(FN, "mask", mask, shape.slice(2));
  const imageShape = halfShape(FN, "shape", shape);
  const labelShape = [imageShape[0], ...shape.slice(2)];

  const [img_a, img_b] = halves(labeled.images);
  const [lab_a, lab_b] = halves(labeled.labels);
  const [uimg_a, uimg_b] = halves(unlabeled.images);
  const [plab_a, plab_b] = halves(unlabeled.pseudoLabels);

  const mix = (
    frame: FloatArray,
    frameTarget: NumArray,
    box: FloatArray,
    boxTarget: NumArray,
    labeledRegion: LabeledRegion,
  ): MixedBatch => {
    const frameT = Int32Array.from(frameTarget);
    const boxT = Int32Array.from(boxTarget);
    return {
      images: mixImages(frame, box, mask, imageShape),
      frameTarget: frameT,
      boxTarget: boxT,
      target: mixLabels(frameT, boxT, mask, labelShape),
      labeledRegion,
      frameWeight: labeledRegion === "frame" ? labeledWeight : unlabeledWeight,
      boxWeight: labeledRegion === "box" ? labeledWeight : unlabeledWeight,
      imageShape: [...imageShape],
      labelShape: [...labelShape],
    };
  };

  if (pairing === "acdc") {
    return {
      unlabeledFrame: mix(uimg_a, plab_a, img_a, lab_a, "box"),
      labeledFrame: mix(img_b, lab_b, uimg_b, plab_b, "frame"),
    };
  }
  return {
    labeledFrame: mix(img_a, lab_a, uimg_a, plab_a, "frame"),
    unlabeledFrame: mix(uimg_b, plab_b, img_b, lab_b, "box"),
  };
}
