import { ShapeError } from "../errors/bcp-error.ts";
import type { NumArray, Shape } from "../tensor/types.ts";

/** Sub-batch shapes after splitting a batch [2S, ...rest] into halves a = [0:S], b = [S:2S]. */
export function halfShape(fn: string, arg: string, shape: Shape): number[] {
  if (shape[0] % 2 !== 0) {
    throw new ShapeError(fn, arg, `needs an even batch to split into sub-batches a and b, got N = ${shape[0]}`);
  }
  return [shape[0] / 2, ...shape.slice(1)];
}

/** The two halves of a batch as views (no copy): a = rows [0:S], b = rows [S:2S]. */
export function halves<T extends NumArray>(data: T): [T, T] {
  const h = data.length / 2;
  return [data.subarray(0, h) as T, data.subarray(h) as T];
}
