import type { Shape } from "../tensor/types.ts";

/**
 * Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012; Meijster et al. 2000).
 *
 * Derivation. With spacing s_a per axis, the squared distance of voxel p to the nearest feature voxel q is
 *   D(p) = min_q sum_a s_a^2 (p_a - q_a)^2,
 * and the minimum separates: minimise over the last axis first, then fold in one axis at a time,
 *   D_a(p) = min_{q_a} [ s_a^2 (p_a - q_a)^2 + D_{a+1}(p with p_a := q_a) ].
 * Along the last axis D is the 1D distance to the nearest feature on the line (two scans). Every further
 * axis is a 1D problem: the lower envelope of the parabolas y = w (x - q)^2 + f(q), w = s^2, over the
 * positions q with finite f. Parabolas q < r cross once, at
 *   x* = ((f(r) + w r^2) - (f(q) + w q^2)) / (2 w (r - q)),
 * and r beats q for x > x*. Scanning q left to right, the envelope is a stack of parabolas v[0..k] with the
 * boundaries z[0..k] (z[0] = -inf) where each starts; a new parabola pops the top while its crossing with
 * the top lies at or left of that top's start. A second sweep reads the owning parabola at each integer x.
 * All in float64: with unit spacing every f is an integer sum of squares, so the values are exact, and a
 * crossing that equals an integer is computed exactly (an exact quotient of exact integers), so ties do
 * not change the result. O(n) per line, so O(N · rank) overall. Lines with no finite value are skipped.
 */

/** Preallocated buffers for the 1D lower envelope, sized for the longest axis. */
export interface EdtScratch {
  readonly f: Float64Array;
  readonly v: Int32Array;
  readonly z: Float64Array;
}

/** Scratch for lines of up to `n` voxels. */
export function edtScratch(n: number): EdtScratch {
  return { f: new Float64Array(n), v: new Int32Array(n), z: new Float64Array(n) };
}

/**
 * Writes into `out` the squared distance of each voxel to the nearest voxel with `feature[i] !== 0`
 * (Infinity when there is none). Row-major shape of any rank; `out` has the same length.
 */
export function squaredDistanceToFeatures(
  feature: ArrayLike<number>,
  shape: Shape,
  spacing: readonly number[],
  out: Float64Array,
  scratch: EdtScratch = edtScratch(Math.max(...shape)),
): Float64Array {
  const rank = shape.length;
  const total = out.length;
  const last = shape[rank - 1];
  lastAxisPass(feature, total, last, spacing[rank - 1], out);
  let stride = last;
  for (let axis = rank - 2; axis >= 0; axis--) {
    const n = shape[axis];
    envelopePass(out, total, n, stride, spacing[axis] * spacing[axis], scratch);
    stride *= n;
  }
  return out;
}

/** 1D distance along the contiguous last axis: forward and backward scans for the nearest feature. */
function lastAxisPass(feature: ArrayLike<number>, total: number, n: number, s: number, out: Float64Array): void {
  for (let base = 0; base < total; base += n) {
    let prev = -Infinity;
    for (let i = 0; i < n; i++) {
      if (feature[base + i] !== 0) prev = i;
      out[base + i] = i - prev;
    }
    let next = Infinity;
    for (let i = n - 1; i >= 0; i--) {
      if (feature[base + i] !== 0) next = i;
      const d = Math.min(out[base + i], next - i) * s;
      out[base + i] = d * d;
    }
  }
}

/** Lower-envelope pass along an axis of length n whose voxels are `stride` apart. */
function envelopePass(out: Float64Array, total: number, n: number, stride: number, w: number, sc: EdtScratch): void {
  const { f, v, z } = sc;
  const block = n * stride;
  for (let outer = 0; outer < total; outer += block) {
    for (let inner = 0; inner < stride; inner++) {
      const base = outer + inner;
      let k = -1;
      for (let q = 0, i = base; q < n; q++, i += stride) {
        const fq = out[i];
        f[q] = fq;
        if (fq === Infinity) continue;
        if (k < 0) {
          k = 0;
          v[0] = q;
          z[0] = -Infinity;
          continue;
        }
        const hq = fq + w * q * q;
        let x = 0;
        for (;;) {
          const r = v[k];
          x = (hq - (f[r] + w * r * r)) / (2 * w * (q - r));
          if (x > z[k]) break;
          k--;
        }
        k++;
        v[k] = q;
        z[k] = x;
      }
      if (k < 0) continue;
      let j = 0;
      for (let p = 0, i = base; p < n; p++, i += stride) {
        while (j < k && z[j + 1] <= p) j++;
        const d = p - v[j];
        out[i] = w * d * d + f[v[j]];
      }
    }
  }
}
