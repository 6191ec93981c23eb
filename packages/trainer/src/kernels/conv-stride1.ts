import type { TensorInfo } from "@tensorflow/tfjs-core";
import type { ConvGeometry } from "./conv-geometry.ts";
import type { KernelIo } from "./kernel-io.ts";

/**
 * Whether the stride-1 fast paths apply: a 2-D conv (depth 1), stride 1, dilation 1, each padding at most k − 1
 * (true of 'same' and 'valid').
 */
export function isStride1Conv2d(g: ConvGeometry): boolean {
  const padBottom = g.outH + g.kH - 1 - g.inH - g.padTop;
  const padRight = g.outW + g.kW - 1 - g.inW - g.padLeft;
  return (
    g.kD === 1 &&
    g.inD === 1 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.dilationH === 1 &&
    g.dilationW === 1 &&
    [g.padTop, padBottom].every((p) => p >= 0 && p < g.kH) &&
    [g.padLeft, padRight].every((p) => p >= 0 && p < g.kW)
  );
}

/**
 * Filter gradient of a stride-1 2-D conv as kH·kW matmuls on shifted views, with no im2col:
 * dW[kh, kw, i, o] = Σ_{n,oh,ow} x[n, oh − pt + kh, ow − pl + kw, i]·dy[n, oh, ow, o].
 * Lay both on one padded grid of Hp×Wp = (outH + kH − 1)×(outW + kW − 1) positions per image: xg holds x at
 * (pt, pl) and zeros around it, channel-major [inC + 1, N·Hp·Wp] (the extra zero row is the tail margin); dyg holds
 * dy at (0, 0) and zeros elsewhere, [N·Hp·Wp, outC]. With position p = (n, a, b) and shift s = kh·Wp + kw,
 * dW[kh, kw] = A_s·dyg where A_s[i, p] = xg[i·P + p + s] is the contiguous [inC, P] window of xg starting at s.
 * Where dyg is non-zero (a < outH, b < outW), p + s = (n, a + kh, b + kw) stays inside image n, so A_s reads the
 * right value; elsewhere dyg is zero and what A_s reads (a neighbour's ring, the next channel, the margin) is
 * multiplied by zero. dyg is one MatMul operand for all taps (XNNPACK packs it once); A_s is an alias, not a copy.
 */
export function convBackpropFilterStride1(io: KernelIo, x: TensorInfo, dy: TensorInfo, g: ConvGeometry) {
  const { batch, inC, outC, kH, kW, padTop, padLeft } = g;
  const hp = g.outH + kH - 1;
  const wp = g.outW + kW - 1;
  const positions = batch * hp * wp;
  const xt = io.run("Transpose", { x: { ...x, shape: [batch, g.inH, g.inW, inC] } }, { perm: [3, 0, 1, 2] });
  const paddings = [
    [0, 1],
    [0, 0],
    [padTop, hp - g.inH - padTop],
    [padLeft, wp - g.inW - padLeft],
  ];
  const xg = io.run("PadV2", { x: xt }, { paddings, constantValue: 0 });
  io.dispose(xt);
  const onGrid = hp === g.outH && wp === g.outW;
  const dyPadded = onGrid
    ? null
    : io.run(
        "PadV2",
        { x: dy },
        {
          paddings: [
            [0, 0],
            [0, kH - 1],
            [0, kW - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
  const dyg: TensorInfo = { ...(dyPadded ?? dy), shape: [positions, outC] };
  const dw = io.alloc([kH, kW, inC, outC]);
  const tap = inC * outC;
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      const a = io.alias(xg, kh * wp + kw, [inC, positions]);
      const part = io.matMul(a, dyg, false, false);
      io.release(a);
      io.view(dw).set(io.view(part), (kh * kW + kw) * tap);
      io.dispose(part);
    }
  }
  io.dispose(xg);
  if (dyPadded !== null) io.dispose(dyPadded);
  return dw;
}

/**
 * Input gradient of a stride-1 2-D conv as a forward conv on the backend's own Conv2D:
 * dx[n, h, w, i] = Σ dy[n, h + pt − kh, w + pl − kw, o]·W[kh, kw, i, o] = conv(dy, W′) with
 * W′[a, b, o, i] = W[kH − 1 − a, kW − 1 − b, i, o] and padding kH − 1 − pt on top, kH − 1 − pb at the bottom
 * (likewise for width); its output has outH + 2(kH − 1) − pt − pb − kH + 1 = inH rows.
 */
export function convBackpropInputStride1(io: KernelIo, dy: TensorInfo, w: TensorInfo, g: ConvGeometry) {
  const { inC, outC, kH, kW, padTop, padLeft } = g;
  const padBottom = g.outH + kH - 1 - g.inH - padTop;
  const padRight = g.outW + kW - 1 - g.inW - padLeft;
  const flipped = io.alloc([kH, kW, outC, inC]);
  const src = io.view(w);
  const dst = io.view(flipped);
  for (let a = 0; a < kH; a++) {
    for (let b = 0; b < kW; b++) {
      const from = ((kH - 1 - a) * kW + (kW - 1 - b)) * inC * outC;
      const to = (a * kW + b) * outC * inC;
      for (let i = 0; i < inC; i++) {
        for (let o = 0; o < outC; o++) dst[to + o * inC + i] = src[from + i * outC + o];
      }
    }
  }
  const pad = [
    [0, 0],
    [kH - 1 - padTop, kH - 1 - padBottom],
    [kW - 1 - padLeft, kW - 1 - padRight],
    [0, 0],
  ];
  const dx = io.run(
    "Conv2D",
    { x: { ...dy, shape: [g.batch, g.outH, g.outW, outC] }, filter: flipped },
    { strides: 1, pad, dataFormat: "NHWC", dilations: 1 },
  );
  io.dispose(flipped);
  return dx;
}
