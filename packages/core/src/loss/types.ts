/** Which Dice loss: ACDC `losses.DiceLoss` ("batch-squared") or LA `losses.mask_DiceLoss` ("per-sample"). */
export type DiceForm = "batch-squared" | "per-sample";

/** A scalar loss and its gradient with respect to the logits (Float64Array, same layout as the logits). */
export interface LossResult {
  readonly value: number;
  readonly grad: Float64Array;
}

/** Sizes of a `[N, C, ...spatial]` loss input: batch, classes, voxels per sample. */
export interface LossDims {
  readonly n: number;
  readonly c: number;
  readonly s: number;
}
