import { checkBinaryMask } from "../mask/check-mask.ts";
import { checkData, checkFloat, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import type { LabeledBatch } from "./bidirectional-mix.ts";
import { checkIntLabels } from "./int-labels.ts";
import { mixImages } from "./mix-images.ts";
import { mixLabels } from "./mix-labels.ts";
import type { MixedBatch } from "./mixed-batch.ts";
import { halfShape, halves } from "./sub-batches.ts";

const FN = "pretrainMix";

/**
 * Pre-training mix of two labeled sub-batches (§3.5): images img_a*M + img_b*(1-M) from a labeled batch
 * [2S, C, ...spatial] (shape; a = rows [0:S], b = [S:2S]). Frame target lab_a, box target lab_b, both weight 1
 * (ACDC mix_loss with u_weight = 1); LA pre-training instead uses `target` with plain CE + unmasked Dice.
 */
export function pretrainMix(labeled: LabeledBatch, mask: NumArray, shape: Shape): MixedBatch {
  checkShape(FN, "shape", shape, [4, 5]);
  const labelFull = [shape[0], ...shape.slice(2)];
  checkFloat(FN, "labeled.images", labeled?.images, shape);
  checkData(FN, "labeled.labels", labeled.labels, labelFull);
  checkIntLabels(FN, "labeled.labels", labeled.labels);
  checkBinaryMask(FN, "mask", mask, shape.slice(2));
  const imageShape = halfShape(FN, "shape", shape);
  const labelShape = [imageShape[0], ...shape.slice(2)];
  const [img_a, img_b] = halves(labeled.images);
  const [lab_a, lab_b] = halves(labeled.labels);
  const frameTarget = Int32Array.from(lab_a);
  const boxTarget = Int32Array.from(lab_b);
  return {
    images: mixImages(img_a, img_b, mask, imageShape),
    frameTarget,
    boxTarget,
    target: mixLabels(frameTarget, boxTarget, mask, labelShape),
    labeledRegion: "both",
    frameWeight: 1,
    boxWeight: 1,
    imageShape,
    labelShape,
  };
}
