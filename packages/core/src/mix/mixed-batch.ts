/** Where the supervision of a mixed batch comes from: the region cut from labeled images gets the labeled weight. */
export type LabeledRegion = "frame" | "box" | "both";

/** One copy-paste mixed batch with its supervision (S = sub-batch size). */
export interface MixedBatch {
  /** Mixed images, Float32Array [S, C, H, W] or [S, C, X, Y, Z]: frame * M + box * (1 - M). */
  readonly images: Float32Array;
  /** Target of the frame region (M == 1), Int32Array [S, ...spatial]: official `img_l` argument of mix_loss. */
  readonly frameTarget: Int32Array;
  /** Target of the box region (M == 0), Int32Array [S, ...spatial]: official `patch_l` argument of mix_loss. */
  readonly boxTarget: Int32Array;
  /** Effective target frameTarget * M + boxTarget * (1 - M), Int32Array [S, ...spatial]. */
  readonly target: Int32Array;
  /** Which region comes from labeled images ("box" ⇔ official `unlab=True`; "both" in pre-training). */
  readonly labeledRegion: LabeledRegion;
  /** Loss weight of the frame region (official `image_weight`). */
  readonly frameWeight: number;
  /** Loss weight of the box region (official `patch_weight`). */
  readonly boxWeight: number;
  /** Shape of `images`. */
  readonly imageShape: number[];
  /** Shape of the target maps. */
  readonly labelShape: number[];
}
