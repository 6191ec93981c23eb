/** Reverses the axis order of a row-major array ([X, Y, Z] → [Z, Y, X]): NIfTI volumes as 2-D models see them. */
export function reverseAxes<T extends Float32Array | Uint8Array>(
  data: T,
  shape: readonly number[],
): { data: T; shape: number[] } {
  const rank = shape.length;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const outShape = [...shape].reverse();
  // Walk the output in order; output axis a is input axis rank-1-a.
  const step = [...strides].reverse();
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    for (let a = rank - 1; a >= 0; a--) {
      src += step[a];
      if (++idx[a] < outShape[a]) break;
      src -= step[a] * outShape[a];
      idx[a] = 0;
    }
  }
  return { data: out, shape: outShape };
}
