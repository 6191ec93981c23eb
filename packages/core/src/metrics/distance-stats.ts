/**
 * numpy.percentile(values, q) with the default "linear" method, reproduced step by step (numpy >= 1.22):
 * virtual index h = n·(q/100) + (1 − q/100) − 1, i = floor(h), γ = h − i, then numpy's _lerp
 * a + (b − a)·γ, or b − (b − a)·(1 − γ) when γ ≥ 0.5. The two order statistics come from a quickselect
 * (O(n)), not a full sort. Reorders `values` in place; needs values.length ≥ 1 and no NaN.
 */
export function percentileLinear(values: Float64Array, q: number): number {
  const n = values.length;
  const t = q / 100;
  const h = n * t + (1 - t) - 1;
  let i = Math.floor(h);
  if (i < 0) i = 0;
  if (i >= n - 1) return selectKth(values, n - 1);
  const gamma = h - i;
  const a = selectKth(values, i);
  // After selection everything right of i is >= a; the next order statistic is their minimum.
  let b = values[i + 1];
  for (let j = i + 2; j < n; j++) if (values[j] < b) b = values[j];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Hoare quickselect: puts the k-th smallest value at index k (smaller left, larger right) and returns it. */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const x = a[lo];
    const y = a[(lo + hi) >>> 1];
    const z = a[hi];
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z)); // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/** Sum of a Float64Array. */
export function sumOf(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** Largest value (−Infinity when empty). */
export function maxOf(values: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}
