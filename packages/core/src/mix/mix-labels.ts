import { checkBinaryMask } from "../mask/check-mask.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { checkIntLabels } from "./int-labels.ts";

/**
 * Copy-paste mix of two label maps, `frame * M + box * (1 - M)`: Int32Array, layout [N, H, W] or [N, X, Y, Z];
 * `mask` (0/1, layout [H, W] / [X, Y, Z]) is broadcast over N. Labels may be any typed array of integer values
 * (the official pseudo labels are float32).
 */
export function mixLabels(frameLabels: NumArray, boxLabels: NumArray, mask: NumArray, shape: Shape): Int32Array {
  checkShape("mixLabels", "shape", shape, [3, 4]);
  checkData("mixLabels", "frameLabels", frameLabels, shape);
  checkData("mixLabels", "boxLabels", boxLabels, shape);
  checkIntLabels("mixLabels", "frameLabels", frameLabels);
  checkIntLabels("mixLabels", "boxLabels", boxLabels);
  checkBinaryMask("mixLabels", "mask", mask, shape.slice(1));
  const out = new Int32Array(frameLabels.length);
  const n = mask.length;
  for (let base = 0; base < out.length; base += n) {
    for (let i = 0; i < n; i++) out[base + i] = mask[i] === 1 ? frameLabels[base + i] : boxLabels[base + i];
  }
  return out;
}
