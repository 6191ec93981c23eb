import { ArgumentError } from "../errors/bcp-error.ts";
import { checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { checkBinaryMask } from "./check-mask.ts";

/** The box mask repeated over the batch: Uint8Array, layout [N, H, W] or [N, X, Y, Z] (official `loss_mask`). */
export function lossMask(mask: NumArray, spatialShape: Shape, batch: number): Uint8Array {
  checkShape("lossMask", "spatialShape", spatialShape, [2, 3]);
  checkBinaryMask("lossMask", "mask", mask, spatialShape);
  if (!Number.isInteger(batch) || batch < 1) {
    throw new ArgumentError("lossMask", "batch", `must be a positive integer, got ${String(batch)}`);
  }
  const n = mask.length;
  const out = new Uint8Array(n * batch);
  out.set(mask);
  for (let b = 1; b < batch; b++) out.copyWithin(b * n, 0, n);
  return out;
}
