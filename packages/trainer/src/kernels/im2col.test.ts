import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ConvGeometry } from "./conv-geometry.ts";
import { col2im, im2col } from "./im2col.ts";

function geom(over: Partial<ConvGeometry>): ConvGeometry {
  return {
    batch: 1,
    inD: 1,
    inH: 3,
    inW: 3,
    inC: 1,
    outD: 1,
    outH: 3,
    outW: 3,
    outC: 1,
    kD: 1,
    kH: 3,
    kW: 3,
    strideD: 1,
    strideH: 1,
    strideW: 1,
    dilationD: 1,
    dilationH: 1,
    dilationW: 1,
    padFront: 0,
    padTop: 1,
    padLeft: 1,
    ...over,
  };
}

describe("im2col", () => {
  it("builds the padded 3x3 patches of a 3x3 image (hand table)", () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const col = new Float32Array(9 * 9).fill(NaN);
    im2col(x, geom({}), 0, 3, col);
    assert.deepEqual([...col.subarray(0, 9)], [0, 0, 0, 0, 1, 2, 0, 4, 5]); // top-left pixel
    assert.deepEqual([...col.subarray(36, 45)], [1, 2, 3, 4, 5, 6, 7, 8, 9]); // centre pixel
    assert.deepEqual([...col.subarray(72, 81)], [5, 6, 0, 8, 9, 0, 0, 0, 0]); // bottom-right pixel
  });

  it("handles stride 2 'valid' with two channels, rows [1, 2) only", () => {
    // x [1, 4, 4, 2], value = 10·pixel + channel; k2 s2 → out 2x2; row 1 is oh = 1.
    const x = Float32Array.from({ length: 32 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2));
    const g = geom({
      inH: 4,
      inW: 4,
      inC: 2,
      outH: 2,
      outW: 2,
      kH: 2,
      kW: 2,
      strideH: 2,
      strideW: 2,
      padTop: 0,
      padLeft: 0,
    });
    const col = new Float32Array(2 * 8);
    im2col(x, g, 1, 2, col);
    // (oh 1, ow 0) reads pixels 8, 9, 12, 13; (oh 1, ow 1) reads 10, 11, 14, 15.
    assert.deepEqual([...col], [80, 81, 90, 91, 120, 121, 130, 131, 100, 101, 110, 111, 140, 141, 150, 151]);
  });

  it("col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)> (property)", () => {
    const arb = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      inD: fc.integer({ min: 1, max: 4 }),
      inH: fc.integer({ min: 1, max: 6 }),
      inW: fc.integer({ min: 1, max: 6 }),
      inC: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 1, max: 3 }),
      kd: fc.integer({ min: 1, max: 2 }),
      stride: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      pad: fc.integer({ min: 0, max: 2 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, (p) => {
        const span = (p.k - 1) * p.dilation + 1;
        const spanD = (p.kd - 1) * p.dilation + 1;
        const outH = Math.floor((p.inH + 2 * p.pad - span) / p.stride) + 1;
        const outW = Math.floor((p.inW + 2 * p.pad - span) / p.stride) + 1;
        const outD = Math.floor((p.inD + 2 * p.pad - spanD) / p.stride) + 1;
        if (outH < 1 || outW < 1 || outD < 1) return;
        const g = geom({
          batch: p.batch,
          inD: p.inD,
          inH: p.inH,
          inW: p.inW,
          inC: p.inC,
          outD,
          outH,
          outW,
          kD: p.kd,
          kH: p.k,
          kW: p.k,
          strideD: p.stride,
          strideH: p.stride,
          strideW: p.stride,
          dilationD: p.dilation,
          dilationH: p.dilation,
          dilationW: p.dilation,
          padFront: p.pad,
          padTop: p.pad,
          padLeft: p.pad,
        });
        let s = p.seed >>> 0;
        const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
        const rows = p.batch * outD * outH;
        const x = Float32Array.from({ length: p.batch * p.inD * p.inH * p.inW * p.inC }, rand);
        const c = Float32Array.from({ length: rows * outW * p.kd * p.k * p.k * p.inC }, rand);
        const col = new Float32Array(c.length);
        im2col(x, g, 0, rows, col);
        const back = new Float32Array(x.length);
        col2im(c, g, 0, rows, back);
        let lhs = 0;
        let rhs = 0;
        for (let i = 0; i < c.length; i++) lhs += col[i] * c[i];
        for (let i = 0; i < x.length; i++) rhs += x[i] * back[i];
        assert.ok(Math.abs(lhs - rhs) <= 1e-4 * (1 + Math.abs(lhs)), `${lhs} vs ${rhs}`);
      }),
      { numRuns: 200 },
    );
  });
});
