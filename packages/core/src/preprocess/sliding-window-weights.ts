import { ArgumentError } from "../errors/bcp-error.ts";
import { sizeOf } from "../tensor/check.ts";
import { stridesOf } from "./nd.ts";
import type { SlidingWindowPlan } from "./sliding-window-plan.ts";
import { forEachPatchRow, forEachWindow } from "./window-walk.ts";

/** How many windows of `plan` cover each voxel of the padded volume → Float32Array, layout `plan.paddedShape`. */
export function slidingWindowWeights(plan: SlidingWindowPlan): Float32Array {
  if (!plan || !Array.isArray(plan.paddedShape) || !Array.isArray(plan.starts)) {
    throw new ArgumentError("slidingWindowWeights", "plan", "must come from slidingWindowPlan");
  }
  const out = new Float32Array(sizeOf(plan.paddedShape));
  const strides = stridesOf(plan.paddedShape);
  forEachWindow(plan, (start) => {
    forEachPatchRow(plan.patch, strides, start, (base, len) => {
      for (let k = 0; k < len; k++) out[base + k] += 1;
    });
  });
  return out;
}
