import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { neighbourhood } from "./connectivity.ts";
import {
  checkClassValues,
  classSet,
  type PerClassOptions,
  writeLargestPerClass,
} from "./largest-component-per-class.ts";

/**
 * largestComponentPerClass applied to each sample of a `[N, H, W]` or `[N, X, Y, Z]` class-map batch (the
 * official get_ACDC_2DLargestCC loop over the batch) → Int32Array in the same layout.
 */
export function largestComponentPerClassBatch(
  labelMap: NumArray,
  shape: Shape,
  options: PerClassOptions = {},
): Int32Array {
  const fn = "largestComponentPerClassBatch";
  checkShape(fn, "shape", shape, [3, 4]);
  checkData(fn, "labelMap", labelMap, shape);
  checkClassValues(fn, "labelMap", labelMap);
  const hood = neighbourhood(fn, shape.length - 1, options.connectivity);
  const classes = classSet(fn, options.classes);
  const [n, ...spatial] = shape;
  const [d0, d1, d2] = spatial.length === 3 ? spatial : [1, spatial[0], spatial[1]];
  const size = d0 * d1 * d2;
  const out = new Int32Array(labelMap.length);
  for (let b = 0; b < n; b++) {
    const sample = labelMap.subarray(b * size, (b + 1) * size);
    writeLargestPerClass(sample, d0, d1, d2, hood, classes, out, b * size);
  }
  return out;
}
