import { ArgumentError } from "../errors/bcp-error.ts";
import { resizeBilinear } from "../preprocess/resize-bilinear.ts";
import { zoomNearest } from "../preprocess/zoom-nearest.ts";
import { checkData, checkFloat, checkShape } from "../tensor/check.ts";
import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";
import type { DrawSource } from "./forced-draws.ts";
import { randomRotFlip } from "./random-rot-flip.ts";
import { randomRotate } from "./random-rotate.ts";

/** Options of {@link trainTransform2d}. */
export interface TrainTransform2dOptions {
  /** "nearest" (default, official) or "bilinear": rotate (order 1) and resize the image linearly. */
  readonly imageInterpolation?: "nearest" | "bilinear";
  /** Reproduce scipy zoom's zeroed last row/column in the nearest resizes (see zoomNearest). Default false. */
  readonly scipyEdgeQuirk?: boolean;
}

/** Result of {@link trainTransform2d}: image Float32Array and label (input kind), both [H', W']. */
export interface TrainTransform2dResult<L extends NumArray> {
  readonly image: Float32Array;
  readonly label: L;
  readonly shape: number[];
  /** Which geometric augmentation ran, with its draws. */
  readonly applied:
    | { readonly kind: "rotFlip"; readonly k: number; readonly axis: 0 | 1 }
    | { readonly kind: "rotate"; readonly angle: number }
    | { readonly kind: "none" };
}

/**
 * ACDC `RandomGenerator(outSize)` on a slice [H, W]: `if random() > 0.5: random_rot_flip elif random() > 0.5:
 * random_rotate`, then zoom image and label to outSize (nearest by default, as the official code).
 */
export function trainTransform2d<L extends NumArray>(
  image: FloatArray,
  label: L,
  shape: Shape,
  outSize: Shape,
  rng: DrawSource,
  options: TrainTransform2dOptions = {},
): TrainTransform2dResult<L> {
  const fn = "trainTransform2d";
  checkShape(fn, "shape", shape, [2]);
  checkFloat(fn, "image", image, shape);
  checkData(fn, "label", label, shape);
  checkShape(fn, "outSize", outSize, [2]);
  const interp = options.imageInterpolation ?? "nearest";
  if (interp !== "nearest" && interp !== "bilinear") {
    throw new ArgumentError(fn, "options.imageInterpolation", `must be "nearest" or "bilinear", got ${String(interp)}`);
  }
  let img: FloatArray = image;
  let lab: L = label;
  let cur = [...shape];
  let applied: TrainTransform2dResult<L>["applied"] = { kind: "none" };
  // Python `if random() > 0.5: ... elif random() > 0.5: ...` — the second draw happens only after a miss.
  if (rng.random() > 0.5) {
    const r = randomRotFlip(img, lab, cur, rng);
    [img, lab, cur] = [r.image, r.label, r.shape];
    applied = { kind: "rotFlip", k: r.k, axis: r.axis };
  } else {
    const rotateDraw = rng.random();
    if (rotateDraw > 0.5) {
      const r = randomRotate(img, lab, cur, rng, { imageOrder: interp === "bilinear" ? 1 : 0 });
      [img, lab] = [r.image, r.label];
      applied = { kind: "rotate", angle: r.angle };
    }
  }
  const zoom = { scipyEdgeQuirk: options.scipyEdgeQuirk ?? false };
  const outImage =
    interp === "bilinear" ? resizeBilinear(img, cur, outSize) : Float32Array.from(zoomNearest(img, cur, outSize, zoom));
  return { image: outImage, label: zoomNearest(lab, cur, outSize, zoom), shape: [...outSize], applied };
}
