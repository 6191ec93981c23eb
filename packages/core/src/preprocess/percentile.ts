/**
 * numpy.percentile(values, q) with the default linear method: sorted v, h = (n - 1) * q / 100,
 * result = v[floor(h)] + (h - floor(h)) * (v[floor(h) + 1] - v[floor(h)]). Internal helper (q in [0, 100]).
 */
export function percentile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
