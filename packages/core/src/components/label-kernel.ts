import type { NumArray } from "../tensor/types.ts";
import type { Neighbourhood } from "./connectivity.ts";

/**
 * Connected regions of a volume as runs (maximal row segments), each run tagged with its component.
 * Components are numbered 1..count by first voxel in row-major order (scipy/skimage order).
 */
export interface RunLabelling {
  /** Runs of row r are runs rowBegin[r] .. rowBegin[r + 1] - 1; row r covers flat indices r*d2 .. r*d2+d2-1. */
  readonly rowBegin: Int32Array;
  readonly d2: number;
  /** Run k spans row offsets start[k] .. end[k] - 1 and belongs to component comp[k]. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly comp: Int32Array;
  readonly count: number;
  /** sizes[k]: voxels of component k; sizes[0]: background voxels. */
  readonly sizes: Int32Array;
  /** first[k]: flat index of the first voxel of component k; first[0] = -1. */
  readonly first: Int32Array;
}

/**
 * Labels the connected regions of a row-major `[d0, d1, d2]` volume (a 2D map is d0 = 1; a 2D batch uses
 * d0 = N with a 2D neighbourhood, so samples never connect). `sameValue = false`: foreground = non-zero, any
 * two non-zero neighbours connect; `sameValue = true`: neighbours connect only when their values (int32
 * class ids) are equal.
 *
 * Run-based two-pass union-find on typed arrays: pass 1 splits each row into runs and unites a run with the
 * runs of each backward neighbour row (same row offset (a, b), |c| ≤ reach) whose spans overlap its span
 * widened by the reach; runs are their own provisional labels and unions keep the smaller root, so a
 * component's root is its first run, and resolving roots in increasing order numbers components by first
 * voxel. Pass 2 works per run, never per voxel.
 */
export function labelKernel(
  data: NumArray,
  d0: number,
  d1: number,
  d2: number,
  hood: Neighbourhood,
  sameValue: boolean,
): RunLabelling {
  const rows = d0 * d1;
  const { rowBegin, start, end, value, n } = findRuns(data, rows, d2, sameValue);
  // Pass 1b touches only run arrays (monomorphic Int32Arrays), whatever the input's dtype.
  const parent = new Int32Array(n);
  for (let k = 0; k < n; k++) parent[k] = k;
  const nb = hood.rows.length;
  const pos = new Int32Array(nb);
  const rowA = new Int32Array(nb);
  const rowB = new Int32Array(nb);
  const rowDelta = new Int32Array(nb);
  const reach = hood.reach;
  for (let k = 0; k < nb; k++) {
    [rowA[k], rowB[k]] = hood.rows[k];
    rowDelta[k] = rowA[k] * d1 + rowB[k];
  }
  for (let x = 0; x < d0; x++) {
    for (let y = 0; y < d1; y++) {
      const r = x * d1 + y;
      const first = rowBegin[r];
      const last = rowBegin[r + 1];
      if (first === last) continue;
      for (let k = 0; k < nb; k++) {
        const yb = y + rowB[k];
        pos[k] = x + rowA[k] < 0 || yb < 0 || yb >= d1 ? -1 : rowBegin[r + rowDelta[k]];
      }
      for (let cur = first; cur < last; cur++) {
        const s = start[cur];
        const e = end[cur];
        const v = value[cur];
        let root = cur;
        for (let k = 0; k < nb; k++) {
          let p = pos[k];
          if (p < 0) continue;
          const pEnd = rowBegin[r + rowDelta[k] + 1];
          const t = reach[k];
          while (p < pEnd && end[p] + t <= s) p++;
          pos[k] = p;
          for (let q = p; q < pEnd && start[q] < e + t; q++) {
            if (value[q] !== v || parent[q] === root) continue;
            // union: find q's root with path halving, link the larger root under the smaller.
            let rq = q;
            while (parent[rq] !== rq) rq = parent[rq] = parent[parent[rq]];
            if (rq < root) {
              parent[root] = rq;
              root = rq;
            } else if (rq > root) parent[rq] = root;
          }
        }
      }
    }
  }
  // parent[k] < k for every non-root run, so one increasing sweep turns parent into component numbers.
  let count = 0;
  for (let k = 0; k < n; k++) parent[k] = parent[k] === k ? ++count : parent[parent[k]];
  const sizes = new Int32Array(count + 1);
  const firstVoxel = new Int32Array(count + 1).fill(-1);
  let fg = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = rowBegin[r]; k < rowBegin[r + 1]; k++) {
      const c = parent[k];
      if (sizes[c] === 0) firstVoxel[c] = r * d2 + start[k];
      sizes[c] += end[k] - start[k];
      fg += end[k] - start[k];
    }
  }
  sizes[0] = rows * d2 - fg;
  return { rowBegin, d2, start, end, comp: parent, count, sizes, first: firstVoxel };
}

/** Writes value[comp] over every run whose component has a non-zero value, at out[offset + flat index]. */
export function paintRuns(
  runs: RunLabelling,
  value: ArrayLike<number>,
  out: Int32Array | Uint8Array,
  offset: number,
): void {
  const { rowBegin, d2, start, end, comp } = runs;
  const rows = rowBegin.length - 1;
  for (let r = 0; r < rows; r++) {
    const base = offset + r * d2;
    for (let k = rowBegin[r]; k < rowBegin[r + 1]; k++) {
      const v = value[comp[k]];
      if (v === 0) continue;
      for (let i = base + start[k], e = base + end[k]; i < e; i++) out[i] = v;
    }
  }
}

interface Runs {
  readonly rowBegin: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Value of each run (1 for every run when !sameValue). */
  readonly value: Int32Array;
  readonly n: number;
}

/** Pass 1a: splits each row into maximal runs of non-zero (or equal non-zero) values; the only per-voxel loop. */
function findRuns(data: NumArray, rows: number, d2: number, sameValue: boolean): Runs {
  const rowBegin = new Int32Array(rows + 1);
  // At most ceil(d2 / 2) runs per row (d2 when touching runs may differ in value); grow up to that by doubling.
  const bound = rows * (sameValue ? d2 : Math.ceil(d2 / 2));
  let cap = Math.min(bound, 1024 + ((rows * d2) >> 4));
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let value = new Int32Array(cap);
  // Binary Uint8Array masks skip background four voxels at a time through an aligned 32-bit view.
  const words =
    !sameValue && data instanceof Uint8Array && data.byteOffset % 4 === 0
      ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2)
      : null;
  let n = 0;
  for (let r = 0, base = 0; r < rows; r++, base += d2) {
    rowBegin[r] = n;
    for (let z = 0; z < d2; ) {
      const v = data[base + z];
      if (v === 0) {
        z++;
        if (words !== null) while (((base + z) & 3) === 0 && z + 4 <= d2 && words[(base + z) >> 2] === 0) z += 4;
        continue;
      }
      const s = z++;
      if (sameValue) while (z < d2 && data[base + z] === v) z++;
      else while (z < d2 && data[base + z] !== 0) z++;
      if (n === cap) {
        cap = Math.min(bound, cap * 2);
        start = grow(start, cap);
        end = grow(end, cap);
        value = grow(value, cap);
      }
      start[n] = s;
      end[n] = z;
      value[n] = sameValue ? v : 1;
      n++;
    }
  }
  rowBegin[rows] = n;
  return { rowBegin, start, end, value, n };
}

function grow(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
