import { ArgumentError } from "../errors/bcp-error.ts";
import { cropOrPad } from "../preprocess/crop-or-pad.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import type { DrawSource } from "./forced-draws.ts";
import type { AugmentedPair } from "./random-rot-flip.ts";

/** Options of {@link randomCrop3d}. Give `rng` (offsets drawn) or `offsets` (chosen, padded coordinates). */
export interface RandomCrop3dOptions {
  readonly rng?: DrawSource;
  readonly offsets?: readonly number[];
  /**
   * "full" (default): offsets randint(0, size - out + 1), every position. "official": randint(0, size - out)
   * as LA `RandomCrop` draws it — the crop never reaches the far end of an axis.
   */
  readonly offsetRange?: "full" | "official";
}

/**
 * LA `RandomCrop(out)` on an image/label pair [X, Y, Z]: if any dim <= out, zero-pad every axis by
 * max((out - size) // 2 + 3, 0) on both sides (floor division, as Python); then one randint per axis
 * (X, Y, Z order) for the crop start in padded coordinates. Same typed-array kinds as the inputs.
 */
export function randomCrop3d<I extends NumArray, L extends NumArray>(
  image: I,
  label: L,
  shape: Shape,
  outShape: Shape,
  options: RandomCrop3dOptions,
): AugmentedPair<I, L> & { readonly offsets: number[]; readonly pad: number[] } {
  const fn = "randomCrop3d";
  checkShape(fn, "shape", shape, [3]);
  checkData(fn, "image", image, shape);
  checkData(fn, "label", label, shape);
  checkShape(fn, "outShape", outShape, [3]);
  const { rng, offsets, offsetRange = "full" } = options;
  if (offsetRange !== "full" && offsetRange !== "official") {
    throw new ArgumentError(fn, "options.offsetRange", `must be "full" or "official", got ${String(offsetRange)}`);
  }
  if ((rng === undefined) === (offsets === undefined)) {
    throw new ArgumentError(fn, "options", "needs exactly one of rng and offsets");
  }
  const needsPad = shape.some((n, i) => n <= outShape[i]);
  const pad = shape.map((n, i) => (needsPad ? Math.max(Math.floor((outShape[i] - n) / 2) + 3, 0) : 0));
  const padded = shape.map((n, i) => n + 2 * pad[i]);
  const extra = offsetRange === "full" ? 1 : 0;
  let starts: number[];
  if (offsets !== undefined) {
    if (!Array.isArray(offsets) || offsets.length !== 3) {
      throw new ArgumentError(fn, "options.offsets", `must be 3 integers, got ${JSON.stringify(offsets)}`);
    }
    offsets.forEach((o, i) => {
      if (!Number.isInteger(o) || o < 0 || o > padded[i] - outShape[i]) {
        throw new ArgumentError(fn, `options.offsets[${i}]`, `must be in [0, ${padded[i] - outShape[i]}], got ${o}`);
      }
    });
    starts = [...offsets];
  } else {
    starts = padded.map((p, i) => (rng as DrawSource).randint(0, p - outShape[i] + extra));
  }
  const at = { offsets: starts.map((s, i) => s - pad[i]) };
  return {
    image: cropOrPad(image, shape, outShape, at),
    label: cropOrPad(label, shape, outShape, at),
    shape: [...outShape],
    offsets: starts,
    pad,
  };
}
