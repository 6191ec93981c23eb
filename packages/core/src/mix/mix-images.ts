import { checkBinaryMask } from "../mask/check-mask.ts";
import { checkFloat, checkShape } from "../tensor/check.ts";
import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";

/**
 * Copy-paste mix of two image batches, `frame * M + box * (1 - M)`: Float32Array, layout [N, C, H, W] or
 * [N, C, X, Y, Z]; `mask` (0/1, layout [H, W] / [X, Y, Z]) is broadcast over N and C.
 */
export function mixImages(frame: FloatArray, box: FloatArray, mask: NumArray, shape: Shape): Float32Array {
  checkShape("mixImages", "shape", shape, [4, 5]);
  checkFloat("mixImages", "frame", frame, shape);
  checkFloat("mixImages", "box", box, shape);
  checkBinaryMask("mixImages", "mask", mask, shape.slice(2));
  const out = new Float32Array(frame.length);
  const n = mask.length;
  // M is 0/1, so the blend is a selection: exact, no rounding.
  for (let base = 0; base < out.length; base += n) {
    for (let i = 0; i < n; i++) out[base + i] = mask[i] === 1 ? frame[base + i] : box[base + i];
  }
  return out;
}
