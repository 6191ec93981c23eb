import type { NumArray, Shape } from "../tensor/types.ts";
import type { DrawSource } from "./forced-draws.ts";
import { randomCrop3d } from "./random-crop-3d.ts";
import type { AugmentedPair } from "./random-rot-flip.ts";
import { randomRotFlip } from "./random-rot-flip.ts";

/**
 * LA training transform on [X, Y, Z]: `RandomRotFlip()` (k, axis) then `RandomCrop(outShape)` (three
 * offsets), drawing from one source in that order. `offsetRange` as in randomCrop3d (default "full").
 */
export function trainTransform3d<I extends NumArray, L extends NumArray>(
  image: I,
  label: L,
  shape: Shape,
  outShape: Shape,
  rng: DrawSource,
  options: { readonly offsetRange?: "full" | "official" } = {},
): AugmentedPair<I, L> {
  const r = randomRotFlip(image, label, shape, rng);
  const c = randomCrop3d(r.image, r.label, r.shape, outShape, { rng, offsetRange: options.offsetRange });
  return { image: c.image, label: c.label, shape: c.shape };
}
