import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import type { DrawSource } from "./forced-draws.ts";
import { rot90Flip } from "./rot90-flip.ts";

/** An augmented image/label pair with their shared shape and the draws that produced it. */
export interface AugmentedPair<I extends NumArray, L extends NumArray> {
  readonly image: I;
  readonly label: L;
  readonly shape: number[];
}

/**
 * Official `random_rot_flip` (ACDC slices [H, W] and LA `RandomRotFlip` volumes [X, Y, Z]):
 * k = randint(0, 4), np.rot90 both; axis = randint(0, 2), np.flip both. Draw order as the official code.
 */
export function randomRotFlip<I extends NumArray, L extends NumArray>(
  image: I,
  label: L,
  shape: Shape,
  rng: DrawSource,
): AugmentedPair<I, L> & { readonly k: number; readonly axis: 0 | 1 } {
  checkShape("randomRotFlip", "shape", shape, [2, 3]);
  checkData("randomRotFlip", "image", image, shape);
  checkData("randomRotFlip", "label", label, shape);
  const k = rng.randint(0, 4);
  const axis = rng.randint(0, 2) as 0 | 1;
  const img = rot90Flip(image, shape, { k, axis });
  const lab = rot90Flip(label, shape, { k, axis });
  return { image: img.data, label: lab.data, shape: img.shape, k, axis };
}
