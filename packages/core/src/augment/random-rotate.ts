import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import type { DrawSource } from "./forced-draws.ts";
import type { AugmentedPair } from "./random-rot-flip.ts";
import { rotate } from "./rotate.ts";

/**
 * Official `random_rotate` on [H, W]: angle = randint(-20, 20) integer degrees (-20..19), then
 * scipy.ndimage.rotate(order=0, reshape=False) of image and label. `imageOrder: 1` rotates a float image
 * bilinearly instead (labels stay nearest).
 */
export function randomRotate<I extends NumArray, L extends NumArray>(
  image: I,
  label: L,
  shape: Shape,
  rng: DrawSource,
  options: { readonly imageOrder?: 0 | 1 } = {},
): AugmentedPair<I, L> & { readonly angle: number } {
  checkShape("randomRotate", "shape", shape, [2, 3]);
  checkData("randomRotate", "image", image, shape);
  checkData("randomRotate", "label", label, shape);
  const angle = rng.randint(-20, 20);
  return {
    image: rotate(image, shape, angle, { order: options.imageOrder ?? 0 }),
    label: rotate(label, shape, angle, { order: 0 }),
    shape: [...shape],
    angle,
  };
}
