// Helpers to read the official BCP reference vectors (copied from ../shared/reference).
export interface RefArray {
  shape: number[];
  dtype: string;
  layout?: string;
  data: number[];
}

/** A reference float array as Float32Array (the official code computed in float32). */
export function f32(a: RefArray): Float32Array {
  return Float32Array.from(a.data);
}

/** A reference float array as Float64Array (metrics and exact comparisons). */
export function f64(a: RefArray): Float64Array {
  return Float64Array.from(a.data);
}

/** A reference integer/bool array as Int32Array. */
export function i32(a: RefArray): Int32Array {
  return Int32Array.from(a.data);
}

/** A reference integer/bool array as Uint8Array. */
export function u8(a: RefArray): Uint8Array {
  return Uint8Array.from(a.data);
}

/** Asserts |actual - expected| <= rtol * |expected| + atol element-wise, with a readable message. */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  { rtol = 1e-5, atol = 1e-7, what = "value" }: { rtol?: number; atol?: number; what?: string } = {},
): void {
  const a = typeof actual === "number" ? [actual] : actual;
  const e = typeof expected === "number" ? [expected] : expected;
  if (a.length !== e.length) throw new Error(`${what}: length ${a.length} != expected ${e.length}`);
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!(d <= rtol * Math.abs(e[i]) + atol)) {
      throw new Error(`${what}[${i}]: ${a[i]} != expected ${e[i]} (diff ${d})`);
    }
  }
}

/** Asserts exact equality of two integer sequences, naming the first mismatch. */
export function assertExact(actual: ArrayLike<number>, expected: ArrayLike<number>, what = "value"): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) throw new Error(`${what}[${i}]: ${actual[i]} != expected ${expected[i]}`);
  }
}
