import { ArgumentError, segmentImage } from "@bcpseg/core";
import { evalContract } from "./eval-contract.ts";
import { logitsOf } from "./logits-of.ts";
import type { EvalModel } from "./types.ts";

/** Options of {@link predictVolume3d}. */
export interface PredictVolume3dOptions {
  /** Window size [X, Y, Z] (LA 112x112x80). */
  readonly patch: readonly number[];
  /** Window stride per axis (LA [18, 18, 4]). */
  readonly stride: readonly number[];
  /** Two classes: foreground iff the averaged p1 > threshold (strict, official 0.5). */
  readonly threshold?: number;
  /** Keep the largest 26-connected component of each class (official test: yes; training validation: no). */
  readonly largestComponent?: boolean;
}

/**
 * The LA test protocol on a [X, Y, Z] float32 volume through core's segmentImage: sliding-window softmax
 * averaged over windows (zero-padded where the volume is smaller than the patch), then p1 > threshold for two
 * classes (argmax for more), then optionally the largest component. Uint8Array [X, Y, Z].
 */
export async function predictVolume3d(
  model: EvalModel,
  image: Float32Array,
  shape: readonly number[],
  options: PredictVolume3dOptions,
): Promise<Uint8Array> {
  if (shape.length !== 3) throw new ArgumentError("predictVolume3d", "shape", `must be [X, Y, Z], got [${shape}]`);
  const run = logitsOf(model);
  const contract = evalContract({ protocol: "sliding", size: options.patch, stride: options.stride });
  const seg = await segmentImage(contract, { data: image, shape }, async (x, s) => run(x, s), {
    intensity: false,
    output: "logits",
    largestComponent: options.largestComponent ?? false,
    threshold: options.threshold ?? 0.5,
  });
  return seg.labels;
}
