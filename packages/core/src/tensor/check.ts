import { ArgumentError, DtypeError, ShapeError } from "../errors/bcp-error.ts";
import type { NumArray, Shape } from "./types.ts";

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws a ShapeError unless `shape` is a list of positive integers of one of the given ranks. */
export function checkShape(fn: string, arg: string, shape: Shape, ranks?: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ShapeError(fn, arg, `must be a list of positive integers, got ${JSON.stringify(shape)}`);
  }
  if (ranks && !ranks.includes(shape.length)) {
    throw new ShapeError(fn, arg, `must have rank ${ranks.join(" or ")}, got [${shape.join(", ")}]`);
  }
}

/** Throws unless `data` is a typed array whose length equals the product of `shape`. */
export function checkData(fn: string, arg: string, data: unknown, shape: Shape): asserts data is NumArray {
  if (!ArrayBuffer.isView(data) || data instanceof DataView || typeof (data as NumArray).length !== "number") {
    throw new DtypeError(fn, arg, `must be a typed array, got ${describe(data)}`);
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new DtypeError(fn, arg, "must not be a BigInt array (use Int32Array for labels)");
  }
  const n = sizeOf(shape);
  if ((data as NumArray).length !== n) {
    throw new ShapeError(fn, arg, `has ${(data as NumArray).length} values, shape [${shape.join(", ")}] wants ${n}`);
  }
}

/** Throws unless `data` is a Float32Array or Float64Array of the right length. */
export function checkFloat(fn: string, arg: string, data: unknown, shape: Shape): void {
  checkData(fn, arg, data, shape);
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new DtypeError(fn, arg, `must be a Float32Array or Float64Array, got ${describe(data)}`);
  }
}

/** Throws unless `value` is a finite number in [lo, hi]. */
export function checkRange(fn: string, arg: string, value: number, lo: number, hi: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi) {
    throw new ArgumentError(fn, arg, `must be a number in [${lo}, ${hi}], got ${String(value)}`);
  }
}

/** Throws unless two shapes are equal. */
export function checkSameShape(fn: string, arg: string, a: Shape, b: Shape): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(fn, arg, `has shape [${b.join(", ")}], expected [${a.join(", ")}]`);
  }
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  return (x as object).constructor?.name ?? "object";
}
