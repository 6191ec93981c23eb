import type { ConvGeometry } from "./conv-geometry.ts";

/**
 * Visits every (output pixel, filter tap) of output rows [row0, row1), where a row is one (n, od, oh) and holds outW
 * pixels. `visit(colOffset, srcOffset)` gets the offset of the inC-long run in the patch matrix (pixel-major,
 * then (kd, kh, kw)) and of the matching input run in x [batch, inD, inH, inW, inC], or srcOffset -1 for padding.
 */
function forEachTap(g: ConvGeometry, row0: number, row1: number, visit: (col: number, src: number) => void): void {
  const { inD, inH, inW, inC, outD, outH, outW, kD, kH, kW } = g;
  let col = 0;
  for (let r = row0; r < row1; r++) {
    const oh = r % outH;
    const od = ((r - oh) / outH) % outD;
    const n = (r - oh - od * outH) / (outH * outD);
    for (let ow = 0; ow < outW; ow++) {
      for (let kd = 0; kd < kD; kd++) {
        const id = od * g.strideD - g.padFront + kd * g.dilationD;
        const okD = id >= 0 && id < inD;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
          const okH = okD && ih >= 0 && ih < inH;
          const rowBase = ((n * inD + id) * inH + ih) * inW;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
            visit(col, okH && iw >= 0 && iw < inW ? (rowBase + iw) * inC : -1);
            col += inC;
          }
        }
      }
    }
  }
}

/** Writes the patch matrix of output rows [row0, row1) into `col` ([(row1-row0)·outW, patchSize], zeros for padding). */
export function im2col(x: Float32Array, g: ConvGeometry, row0: number, row1: number, col: Float32Array): void {
  const c = g.inC;
  forEachTap(g, row0, row1, (o, s) => {
    if (s < 0) col.fill(0, o, o + c);
    else for (let i = 0; i < c; i++) col[o + i] = x[s + i];
  });
}

/** Adjoint of im2col: adds each patch-matrix entry back onto the input position it was read from (dx += colᵀ). */
export function col2im(col: Float32Array, g: ConvGeometry, row0: number, row1: number, dx: Float32Array): void {
  const c = g.inC;
  forEachTap(g, row0, row1, (o, s) => {
    if (s >= 0) for (let i = 0; i < c; i++) dx[s + i] += col[o + i];
  });
}
