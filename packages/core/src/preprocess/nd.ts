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
 */
export function gather<T extends NumArray>(data: T, shape: Shape, maps: readonly Int32Array[], fill = 0): T {
  const outShape = maps.map((m) => m.length);
  const rank = shape.length;
  const inStr = stridesOf(shape);
  const outStr = stridesOf(outShape);
  let total = 1;
  for (const d of outShape) total *= d;
  const out = allocLike(data, total);
  if (fill !== 0) out.fill(fill);
  let o = 0;
  const walk = (axis: number, base: number): void => {
    const map = maps[axis];
    const st = inStr[axis];
    if (axis === rank - 1) {
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
