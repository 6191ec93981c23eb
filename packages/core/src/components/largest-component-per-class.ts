import { ArgumentError, DtypeError } from "../errors/bcp-error.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { type ConnectivityOptions, type Neighbourhood, neighbourhood } from "./connectivity.ts";
import { labelKernel, paintRuns } from "./label-kernel.ts";

/** Options of the per-class largest component. */
export interface PerClassOptions extends ConnectivityOptions {
  /**
   * Classes to clean (default: every non-zero value present). Voxels of other non-zero values are kept as
   * they are; the official get_ACDC_2DLargestCC zeroes them, which is the same whenever `classes` lists all
   * foreground classes (1..3 for ACDC).
   */
  readonly classes?: readonly number[];
}

/**
 * For each class c ≠ 0 of an integer class map `[H, W]` / `[X, Y, Z]`, keeps only its largest connected
 * component (ties: first voxel in row-major order) and sets the class's other voxels to 0 → Int32Array in the
 * same layout; background stays 0 (official get_ACDC_2DLargestCC, 8-connectivity in 2D by default).
 */
export function largestComponentPerClass(labelMap: NumArray, shape: Shape, options: PerClassOptions = {}): Int32Array {
  const fn = "largestComponentPerClass";
  checkShape(fn, "shape", shape, [2, 3]);
  checkData(fn, "labelMap", labelMap, shape);
  checkClassValues(fn, "labelMap", labelMap);
  const hood = neighbourhood(fn, shape.length, options.connectivity);
  const classes = classSet(fn, options.classes);
  const [d0, d1, d2] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const out = new Int32Array(labelMap.length);
  writeLargestPerClass(labelMap, d0, d1, d2, hood, classes, out, 0);
  return out;
}

/** Writes the cleaned class map into `out[offset ...]` (internal; shared with batches). */
export function writeLargestPerClass(
  data: NumArray,
  d0: number,
  d1: number,
  d2: number,
  hood: Neighbourhood,
  classes: ReadonlySet<number> | undefined,
  out: Int32Array,
  offset: number,
): void {
  // One labelling pass for all classes: neighbours connect only when their classes are equal.
  const runs = labelKernel(data, d0, d1, d2, hood, true);
  const { count, sizes, first } = runs;
  const value = new Int32Array(count + 1);
  const best = new Map<number, number>();
  for (let k = 1; k <= count; k++) {
    const c = data[first[k]];
    if (classes && !classes.has(c)) value[k] = c;
    else {
      const b = best.get(c);
      if (b === undefined || sizes[k] > sizes[b]) best.set(c, k);
    }
  }
  for (const [c, k] of best) value[k] = c;
  paintRuns(runs, value, out, offset);
}

/** Throws a DtypeError unless every value is an integer that fits an Int32Array. */
export function checkClassValues(fn: string, arg: string, data: NumArray): void {
  if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Uint32Array)) return;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] | 0) !== data[i]) {
      throw new DtypeError(fn, arg, `must hold integer class ids, got ${data[i]} at index ${i}`);
    }
  }
}

/** Validates the `classes` option into a set (undefined: clean every class). */
export function classSet(fn: string, classes: readonly number[] | undefined): ReadonlySet<number> | undefined {
  if (classes === undefined) return undefined;
  if (!Array.isArray(classes) || classes.some((c) => !Number.isInteger(c) || c === 0 || (c | 0) !== c)) {
    throw new ArgumentError(fn, "classes", `must be a list of non-zero integer class ids, got ${String(classes)}`);
  }
  return new Set(classes);
}
