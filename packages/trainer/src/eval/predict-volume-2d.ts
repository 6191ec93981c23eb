import { ArgumentError, zoomNearest } from "@bcpseg/core";
import { logitsOf } from "./logits-of.ts";
import type { EvalModel } from "./types.ts";

/** Options of {@link predictVolume2d}. */
export interface PredictVolume2dOptions {
  /** Network input size [h, w] (ACDC 256x256). */
  readonly size: readonly number[];
  /** Slices per forward pass (eval-mode BatchNorm makes this result-neutral); default 8. */
  readonly batchSize?: number;
  /** Zero the last row/column where scipy's zoom(order=0) does when resizing back (official quirk); default false. */
  readonly scipyEdgeQuirk?: boolean;
}

/**
 * The ACDC test protocol on a [S, H, W] float32 volume: each slice zoomed (nearest, scipy grid) to `size`,
 * the network in eval mode, argmax over classes, the prediction zoomed back to [H, W]. Uint8Array [S, H, W].
 */
export async function predictVolume2d(
  model: EvalModel,
  image: Float32Array,
  shape: readonly number[],
  options: PredictVolume2dOptions,
): Promise<Uint8Array> {
  const fn = "predictVolume2d";
  const run = logitsOf(model);
  if (shape.length !== 3) throw new ArgumentError(fn, "shape", `must be [S, H, W], got [${shape}]`);
  const [s, h, w] = shape;
  const [ph, pw] = options.size;
  const batch = options.batchSize ?? 8;
  const out = new Uint8Array(s * h * w);
  const slice = h * w;
  const zoom = ph * pw;
  for (let start = 0; start < s; start += batch) {
    const count = Math.min(batch, s - start);
    const input = new Float32Array(count * zoom);
    for (let k = 0; k < count; k++) {
      const src = image.subarray((start + k) * slice, (start + k + 1) * slice);
      input.set(zoomNearest(src, [h, w], [ph, pw]), k * zoom);
    }
    const logits = await run(input, [count, 1, ph, pw]);
    const classes = logits.length / (count * zoom);
    const labels = new Uint8Array(count * zoom);
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < zoom; i++) {
        let best = 0;
        for (let c = 1; c < classes; c++) {
          if (logits[(k * classes + c) * zoom + i] > logits[(k * classes + best) * zoom + i]) best = c;
        }
        labels[k * zoom + i] = best;
      }
    }
    for (let k = 0; k < count; k++) {
      const small = Uint8Array.from(labels.subarray(k * zoom, (k + 1) * zoom));
      const back = zoomNearest(small, [ph, pw], [h, w], { scipyEdgeQuirk: options.scipyEdgeQuirk ?? false });
      out.set(back, (start + k) * slice);
    }
  }
  return out;
}
