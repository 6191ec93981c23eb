import type { NumArray, Shape } from "../tensor/types.ts";

/** Row-major strides of a shape (internal helper of the resize, crop and window code). */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** A zeroed typed array of the same kind as `like`, with `n` elements. */
export function allocLike<T extends NumArray>(like: T, n: number): T {
  const Ctor = like.constructor as new (n: number) => T;
  return new Ctor(n);
}

/**
 * out[o0, o1, ...] = data[maps[0][o0], maps[1][o1], ...], or `fill` where any map entry is -1.
 * One index map per axis turns every separable nearest/crop/pad resampling into a single gather.
 * Fast paths with the same result: identity maps are one copy; along the last axis, a map that reads one
 * contiguous source run (identity zoom, crop, pad) copies each row with `set` instead of element by element.
 */
export function gather<T extends NumArray>(data: T, shape: Shape, maps: readonly Int32Array[], fill = 0): T {
  const outShape = maps.map((m) => m.length);
  const rank = shape.length;
  if (maps.every((m, axis) => isIdentity(m, shape[axis]))) return data.slice() as T;
  const inStr = stridesOf(shape);
  const outStr = stridesOf(outShape);
  let total = 1;
  for (const d of outShape) total *= d;
  const out = allocLike(data, total);
  if (fill !== 0) out.fill(fill);
  const lastMap = maps[rank - 1];
  const lastStride = inStr[rank - 1];
  const run = lastStride === 1 ? contiguousRun(lastMap) : undefined;
  let o = 0;
  const walk = (axis: number, base: number): void => {
    const map = maps[axis];
    const st = inStr[axis];
    if (axis === rank - 1) {
      if (run) {
        if (run.length > 0) out.set(data.subarray(base + run.src, base + run.src + run.length), o + run.at);
        o += map.length;
        return;
      }
      for (let i = 0; i < map.length; i++, o++) {
        const s = map[i];
        if (s >= 0) out[o] = data[base + s * st];
      }
      return;
    }
    for (let i = 0; i < map.length; i++) {
      const s = map[i];
      if (s < 0) o += outStr[axis];
      else walk(axis + 1, base + s * st);
    }
  };
  if (total > 0) walk(0, 0);
  return out;
}

/** True when `map` is 0, 1, ..., n - 1. */
function isIdentity(map: Int32Array, n: number): boolean {
  if (map.length !== n) return false;
  for (let i = 0; i < n; i++) if (map[i] !== i) return false;
  return true;
}

/**
 * When every valid entry of `map` forms one run of consecutive source indices (fill before and after it),
 * that run: output index `at`, source index `src`, `length`; else undefined. Short runs stay on the
 * element loop, where a subarray would cost more than it saves.
 */
function contiguousRun(map: Int32Array): { at: number; src: number; length: number } | undefined {
  let at = 0;
  while (at < map.length && map[at] < 0) at++;
  let end = map.length;
  while (end > at && map[end - 1] < 0) end--;
  const src = at < end ? map[at] : 0;
  for (let i = at; i < end; i++) if (map[i] !== src + (i - at)) return undefined;
  const length = end - at;
  return length === 0 || length >= 32 ? { at, src, length } : undefined;
}
