import type { TensorInfo } from "@tensorflow/tfjs-core";
import { type ConvGeometry, patchSize } from "./conv-geometry.ts";
import { col2im, im2col } from "./im2col.ts";
import type { KernelIo } from "./kernel-io.ts";

/** Patch-matrix elements per chunk (16 Mi floats = 64 MiB): bounds scratch memory on large volumes. */
const CHUNK_FLOATS = 1 << 24;

/** Output rows (n, od, oh) per chunk so that one chunk's patch matrix stays under CHUNK_FLOATS. */
function rowsPerChunk(g: ConvGeometry): number {
  return Math.max(1, Math.floor(CHUNK_FLOATS / (g.outW * patchSize(g))));
}

/** Writes the transpose of the row-major [rows, cols] matrix `a` into `out` ([cols, rows]), in row blocks of 64. */
function transposeInto(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i0 = 0; i0 < rows; i0 += 64) {
    const i1 = Math.min(rows, i0 + 64);
    for (let j = 0; j < cols; j++) {
      const base = j * rows;
      for (let i = i0; i < i1; i++) out[base + i] = a[i * cols + j];
    }
  }
}

/** dy rows [row0, row1) as a [pixels, outC] tensor: dy itself when it is the whole of it, else a copy. */
function dyRows(io: KernelIo, dy: TensorInfo, g: ConvGeometry, row0: number, row1: number, all: number): TensorInfo {
  const pixels = (row1 - row0) * g.outW;
  if (row0 === 0 && row1 === all) return { ...dy, shape: [pixels, g.outC] };
  const part = io.alloc([pixels, g.outC]);
  io.view(part).set(io.view(dy).subarray(row0 * g.outW * g.outC, row1 * g.outW * g.outC));
  return part;
}

/**
 * Forward conv as im2col + MatMul: y[p, o] = Σ_k col[p, k]·W[k, o] with W the filter read as [patchSize, outC].
 * Returns y [batch, outD, outH, outW, outC] reshaped to `outShape`.
 */
export function convForward(io: KernelIo, x: TensorInfo, w: TensorInfo, g: ConvGeometry, outShape: number[]) {
  const k = patchSize(g);
  const rows = g.batch * g.outD * g.outH;
  const step = rowsPerChunk(g);
  const y = io.alloc(outShape);
  const wk: TensorInfo = { ...w, shape: [k, g.outC] };
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    const col = io.alloc([(r1 - r0) * g.outW, k]);
    im2col(io.view(x), g, r0, r1, io.view(col));
    const part = io.matMul(col, wk, false, false);
    io.view(y).set(io.view(part), r0 * g.outW * g.outC);
    io.dispose(col);
    io.dispose(part);
  }
  return y;
}

/**
 * Filter gradient: dW[k, o] = Σ_p col[p, k]·dy[p, o]. Computed as dWᵀ = dyᵀ·col so the MatMul needs no transpose
 * flag (the wasm MatMul is ~10x slower with one); dyᵀ and the small result are transposed here. Summed over chunks.
 */
export function convBackpropFilter(
  io: KernelIo,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  filterShape: number[],
) {
  const k = patchSize(g);
  const rows = g.batch * g.outD * g.outH;
  const step = rowsPerChunk(g);
  const acc = new Float32Array(k * g.outC);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    const pixels = (r1 - r0) * g.outW;
    const col = io.alloc([pixels, k]);
    const dyT = io.alloc([g.outC, pixels]);
    im2col(io.view(x), g, r0, r1, io.view(col));
    const dyOffset = r0 * g.outW * g.outC;
    transposeInto(io.view(dy).subarray(dyOffset, dyOffset + pixels * g.outC), pixels, g.outC, io.view(dyT));
    const part = io.matMul(dyT, col, false, false); // [outC, k]
    const pv = io.view(part);
    for (let o = 0; o < g.outC; o++) {
      for (let kk = 0; kk < k; kk++) acc[kk * g.outC + o] += pv[o * k + kk];
    }
    io.dispose(col);
    io.dispose(dyT);
    io.dispose(part);
  }
  const dw = io.alloc(filterShape);
  io.view(dw).set(acc);
  return dw;
}

/** Input gradient: cols = dy·Wᵀ ([pixels, patchSize], Wᵀ transposed here, not by MatMul), then col2im onto dx. */
export function convBackpropInput(io: KernelIo, dy: TensorInfo, w: TensorInfo, g: ConvGeometry, inShape: number[]) {
  const k = patchSize(g);
  const rows = g.batch * g.outD * g.outH;
  const step = rowsPerChunk(g);
  const wT = io.alloc([g.outC, k]);
  transposeInto(io.view(w), k, g.outC, io.view(wT));
  const dx = io.alloc(inShape);
  io.view(dx).fill(0);
  for (let r0 = 0; r0 < rows; r0 += step) {
    const r1 = Math.min(rows, r0 + step);
    const dyc = dyRows(io, dy, g, r0, r1, rows);
    const cols = io.matMul(dyc, wT, false, false);
    col2im(io.view(cols), g, r0, r1, io.view(dx));
    io.dispose(cols);
    if (dyc.dataId !== dy.dataId) io.dispose(dyc);
  }
  io.dispose(wT);
  return dx;
}
