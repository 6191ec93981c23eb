import type { SampleTransform } from "./augment-sample.ts";
import { type Batch, makeBatch } from "./make-batch.ts";
import type { Dataset } from "./sample.ts";

/**
 * Reads the samples at `indices` (concurrently), transforms them in index order — so random draws are
 * replayable — and stacks them with {@link makeBatch}. Without a transform samples must share a shape.
 */
export async function loadBatch(
  dataset: Dataset,
  indices: readonly number[],
  transform?: SampleTransform,
): Promise<Batch> {
  const samples = await Promise.all(indices.map((i) => dataset.get(i)));
  return makeBatch(transform === undefined ? samples : samples.map(transform));
}
