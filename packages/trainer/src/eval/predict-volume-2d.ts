import { ArgumentError, segmentImage } from "@bcpseg/core";
import { evalContract } from "./eval-contract.ts";
import { logitsOf } from "./logits-of.ts";
import type { EvalModel } from "./types.ts";

/** Options of {@link predictVolume2d}. */
export interface PredictVolume2dOptions {
  /** Network input size [h, w] (ACDC 256x256). */
  readonly size: readonly number[];
  /** Slices per forward pass (eval-mode BatchNorm makes this result-neutral); default 8. */
  readonly batchSize?: number;
  /** scipy zoom(order=0)'s zeroed last row/column, on the way in and back (official quirk); default false. */
  readonly scipyEdgeQuirk?: boolean;
}

/**
 * The ACDC test protocol on a [S, H, W] float32 volume through core's segmentImage: each slice zoomed (nearest,
 * scipy grid) to `size`, the network in eval mode, argmax over classes, the prediction zoomed back to [H, W].
 * Uint8Array [S, H, W].
 */
export async function predictVolume2d(
  model: EvalModel,
  image: Float32Array,
  shape: readonly number[],
  options: PredictVolume2dOptions,
): Promise<Uint8Array> {
  if (shape.length !== 3) throw new ArgumentError("predictVolume2d", "shape", `must be [S, H, W], got [${shape}]`);
  const run = logitsOf(model);
  const contract = evalContract({ protocol: "slices", size: options.size, scipyEdgeQuirk: options.scipyEdgeQuirk });
  const seg = await segmentImage(contract, { data: image, shape }, async (x, s) => run(x, s), {
    intensity: false,
    output: "logits",
    batch: options.batchSize ?? 8,
    largestComponent: false,
  });
  return seg.labels;
}
