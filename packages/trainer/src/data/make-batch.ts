import { ArgumentError, ShapeError } from "@bcpseg/core";
import type { ShapedSample } from "./augment-sample.ts";

/** A stacked batch: images [N, 1, ...spatial] and labels [N, ...spatial]. */
export interface Batch {
  readonly images: Float32Array;
  /** Class per voxel; zeros for a sample without a label (see `labeled`). */
  readonly labels: Int32Array;
  /** [N, 1, H, W] or [N, 1, X, Y, Z]. */
  readonly shape: number[];
  /** [N, H, W] or [N, X, Y, Z]. */
  readonly labelShape: number[];
  /** Whether sample n had a label. */
  readonly labeled: boolean[];
}

/** Stacks same-shaped samples into a batch with one channel: Float32Array [N, 1, ...] and Int32Array [N, ...]. */
export function makeBatch(samples: readonly ShapedSample[]): Batch {
  const fn = "makeBatch";
  if (samples.length === 0) throw new ArgumentError(fn, "samples", "must be a non-empty array");
  const spatial = [...samples[0].shape];
  const n = spatial.reduce((a, b) => a * b, 1);
  const images = new Float32Array(samples.length * n);
  const labels = new Int32Array(samples.length * n);
  samples.forEach((s, k) => {
    if (s.shape.length !== spatial.length || s.shape.some((d, i) => d !== spatial[i])) {
      throw new ShapeError(
        fn,
        `samples[${k}].shape`,
        `is [${s.shape.join(", ")}], samples[0] is [${spatial.join(", ")}]`,
      );
    }
    if (s.image.length !== n || (s.label !== undefined && s.label.length !== n)) {
      throw new ShapeError(fn, `samples[${k}]`, `image or label length differs from shape size ${n}`);
    }
    images.set(s.image, k * n);
    if (s.label !== undefined) labels.set(s.label, k * n);
  });
  return {
    images,
    labels,
    shape: [samples.length, 1, ...spatial],
    labelShape: [samples.length, ...spatial],
    labeled: samples.map((s) => s.label !== undefined),
  };
}
