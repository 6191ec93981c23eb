import type { Rng } from "../rng/create-rng.ts";

/** Per-sample interpolation table along one axis: lower grid node and smoothstep weight. */
function axisTable(n: number, cells: number): { index: Int32Array; weight: Float64Array } {
  const index = new Int32Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = ((i + 0.5) / n) * cells;
    const k = Math.min(cells - 1, Math.floor(f));
    const t = f - k;
    index[i] = k;
    weight[i] = t * t * (3 - 2 * t);
  }
  return { index, weight };
}

/**
 * Smooth random field over a grid of `shape` (row-major, any rank 1..3) with values in [-1, 1]:
 * value noise, uniform values on a lattice of `cells` cells per axis, smoothstep-interpolated.
 * Uses only +, -, * so the field is bit-identical across JavaScript engines.
 */
export function smoothField(rng: Rng, shape: readonly number[], cells: number): Float32Array {
  const dims = [...shape];
  while (dims.length < 3) dims.unshift(1);
  const [A, B, C] = dims;
  const ca = A === 1 ? 1 : cells;
  const [na, nb, nc] = [ca + 1, cells + 1, cells + 1];
  const lattice = new Float64Array(na * nb * nc);
  for (let i = 0; i < lattice.length; i++) lattice[i] = 2 * rng.random() - 1;
  const ta = axisTable(A, ca);
  const tb = axisTable(B, cells);
  const tc = axisTable(C, cells);
  const out = new Float32Array(A * B * C);
  const line = new Float64Array(nc); // lattice interpolated at (a, b), along the last axis
  let o = 0;
  for (let a = 0; a < A; a++) {
    const ia = ta.index[a];
    const wa = A === 1 ? 0 : ta.weight[a];
    for (let b = 0; b < B; b++) {
      const ib = tb.index[b];
      const wb = tb.weight[b];
      const r00 = (ia * nb + ib) * nc;
      const r01 = r00 + nc;
      const r10 = r00 + nb * nc;
      const r11 = r10 + nc;
      for (let c = 0; c < nc; c++) {
        const lo = (1 - wb) * lattice[r00 + c] + wb * lattice[r01 + c];
        line[c] = wa === 0 ? lo : (1 - wa) * lo + wa * ((1 - wb) * lattice[r10 + c] + wb * lattice[r11 + c]);
      }
      for (let c = 0; c < C; c++, o++) {
        const ic = tc.index[c];
        const wc = tc.weight[c];
        out[o] = (1 - wc) * line[ic] + wc * line[ic + 1];
      }
    }
  }
  return out;
}
