import { BcpError } from "../errors/bcp-error.ts";
import type { NumArray } from "../tensor/types.ts";

/** Throws ERR_RANGE unless every value is an integer that fits int32 (labels may come as float32, like plab). */
export function checkIntLabels(fn: string, arg: string, data: NumArray): void {
  if (data instanceof Int32Array || data instanceof Int16Array || data instanceof Uint16Array) return;
  if (data instanceof Int8Array || data instanceof Uint8Array) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new BcpError("ERR_RANGE", `${fn}: ${arg} must hold int32 labels, got ${v} at index ${i}`, { fn, arg });
    }
  }
}
