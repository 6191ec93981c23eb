import type { ModelContract } from "@bcpseg/core";
import { classColors } from "./class-colors.ts";
import { runLengths } from "./run-lengths.ts";

/** Per-class statistics of a label map. */
export interface ClassSummary {
  readonly index: number;
  readonly name: string;
  readonly color: string;
  readonly voxels: number;
  readonly volume: number;
  readonly bbox: { readonly min: number[]; readonly max: number[] } | null;
  readonly rle?: { readonly order: "row-major"; readonly counts: number[] };
}

/**
 * Counts, physical volumes (voxels x prod(spacing)), inclusive bounding boxes (per axis of `shape`) and
 * optional run-length masks of each class of a label map laid out `shape`.
 */
export function summarize(
  labels: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  contract: ModelContract,
  options: { rle?: boolean } = {},
): ClassSummary[] {
  const k = contract.classes.length;
  const rank = shape.length;
  const counts = new Array<number>(k).fill(0);
  const lo = Array.from({ length: k }, () => shape.map(() => Number.POSITIVE_INFINITY));
  const hi = Array.from({ length: k }, () => shape.map(() => -1));
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c < k) {
      counts[c]++;
      const l = lo[c];
      const h = hi[c];
      for (let a = 0; a < rank; a++) {
        if (idx[a] < l[a]) l[a] = idx[a];
        if (idx[a] > h[a]) h[a] = idx[a];
      }
    }
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
  const voxelVolume = spacing.reduce((a, b) => a * b, 1);
  const colors = classColors(contract);
  return [...contract.classes]
    .sort((a, b) => a.index - b.index)
    .map((c) => ({
      index: c.index,
      name: c.name,
      color: colors[c.index],
      voxels: counts[c.index],
      volume: counts[c.index] * voxelVolume,
      bbox: counts[c.index] > 0 ? { min: lo[c.index], max: hi[c.index] } : null,
      ...(options.rle ? { rle: { order: "row-major" as const, counts: runLengths(labels, c.index) } } : {}),
    }));
}
