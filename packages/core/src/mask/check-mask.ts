import { BcpError } from "../errors/bcp-error.ts";
import { checkData } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";

/** Throws unless `mask` is a typed array of `shape`'s size holding only 0 and 1 (ERR_SHAPE / ERR_DTYPE / ERR_RANGE). */
export function checkBinaryMask(fn: string, arg: string, mask: unknown, shape: Shape): asserts mask is NumArray {
  checkData(fn, arg, mask, shape);
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i];
    if (v !== 0 && v !== 1) {
      throw new BcpError("ERR_RANGE", `${fn}: ${arg} must hold only 0 and 1, got ${v} at index ${i}`, { fn, arg });
    }
  }
}
