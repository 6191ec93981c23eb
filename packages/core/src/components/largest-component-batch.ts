import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { type ConnectivityOptions, neighbourhood } from "./connectivity.ts";
import { writeLargest } from "./largest-component.ts";

/**
 * largestComponent applied to each sample of a `[N, H, W]` or `[N, X, Y, Z]` batch (official LargestCC_pancreas
 * / getLargestCC loop) → Uint8Array 0/1 in the same layout; samples never connect to each other.
 */
export function largestComponentBatch(binary: NumArray, shape: Shape, options: ConnectivityOptions = {}): Uint8Array {
  const fn = "largestComponentBatch";
  checkShape(fn, "shape", shape, [3, 4]);
  checkData(fn, "binary", binary, shape);
  const hood = neighbourhood(fn, shape.length - 1, options.connectivity);
  const [n, ...spatial] = shape;
  const [d0, d1, d2] = spatial.length === 3 ? spatial : [1, spatial[0], spatial[1]];
  const size = d0 * d1 * d2;
  const out = new Uint8Array(binary.length);
  for (let b = 0; b < n; b++) writeLargest(binary.subarray(b * size, (b + 1) * size), d0, d1, d2, hood, out, b * size);
  return out;
}
