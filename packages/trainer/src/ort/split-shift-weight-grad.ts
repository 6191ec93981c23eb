import { numel, type Sym, type Tape } from "./tape.ts";

/**
 * Weight gradient of a stride-1 'same' k^d convolution (2-D or 3-D, NCHW / NCDHW), dW [Co, Ci, ...k], from its input
 * x [N, Ci, ...S] and output gradient dy [N, Co, ...S], with the kernel offsets split between the two operands so
 * that neither is copied once per tap:
 *
 *   dW[o, i, a, b] = Σ_{n,h,w} dy[n, o, h, w]·xp[n, i, h + a, w + b]          (xp: x zero-padded by `pad`)
 *                  = Σ_{n,q,w} D[n, (a, o), q, w]·X[n, (b, i), q, w]           q over the padded rows
 *   with D[n, (a, o), q, w] = dy[n, o, q − a, w] (zero outside: a Pad of dy by a rows before, 2·pad − a after)
 *   and  X[n, (b, i), q, w] = xp[n, i, q, w + b] (a Pad of x: rows padded, columns shifted by negative pads).
 *
 * The leading axes' offsets go to dy, the last `xAxes` axes' to x: with xAxes = 1, k^(d−1) padded copies of dy and k
 * copies of x (a plain im2col makes k^d copies of x); with xAxes = 2 in 3-D, 3 copies of dy and 9 of x. Then one
 * batched MatMul per sample, [k^(d−1)·Co, K] × [K, k·Ci] (the larger stack on the left), K the padded volume,
 * summed over N. Exact up to float summation order.
 */
export function splitShiftWeightGrad(
  t: Tape,
  x: Sym,
  dy: Sym,
  k: readonly number[],
  pad: number,
  shifts: "slice" | "conv" | "pads" = "slice",
  xAxes = 1,
): Sym {
  if (shifts !== "slice") return convShifted(t, x, dy, k, pad, shifts === "pads");
  const rank = x.shape.length;
  const d = rank - 2;
  const [n, ci, ...sp] = x.shape;
  const co = dy.shape[1];
  // The last `xAxes` axes' offsets go to x, the leading ones' to dy (one Pad per offset each).
  const dl = d - xAxes;
  const lead = k.slice(0, dl);
  const trail = k.slice(dl);
  const leadTaps = numel(lead);
  const trailTaps = numel(trail);
  // Leading axes padded, the trailing ones as in the output: the K of the MatMul.
  const kSpatial = sp.map((s, i) => (i < dl ? s + 2 * pad : s));
  const kk = numel(kSpatial);
  const zeros = (m: number) => Array.from({ length: m }, () => 0);
  // X[n, i, q.., h..] = xp[n, i, q.., h + b..]: x padded along the leading axes and cropped/padded along the trailing
  // ones by one Pad each (negative pads crop), no padded copy of x in between.
  const xs = leadOffsets(trail).map((off) =>
    t.op(
      "Pad",
      [
        x,
        t.i64([
          0,
          0,
          ...zeros(dl).fill(pad),
          ...off.map((b) => pad - b),
          0,
          0,
          ...zeros(dl).fill(pad),
          ...off.map((b) => b - pad),
        ]),
      ],
      [n, ci, ...kSpatial],
      {},
      "shift",
    ),
  );
  const X = trailTaps === 1 ? xs[0] : t.op("Concat", xs, [n, trailTaps * ci, ...kSpatial], { axis: 1 }, "cols");
  const ds = leadOffsets(lead).map((off) =>
    t.op(
      "Pad",
      [dy, t.i64([0, 0, ...off, ...zeros(xAxes), 0, 0, ...off.map((a) => 2 * pad - a), ...zeros(xAxes)])],
      [n, co, ...kSpatial],
      {},
      "dpad",
    ),
  );
  const D = leadTaps === 1 ? ds[0] : t.op("Concat", ds, [n, leadTaps * co, ...kSpatial], { axis: 1 }, "dcols");
  const rows = (s: Sym, m: number) => t.op("Reshape", [s, t.i64([n, m, kk])], [n, m, kk], {}, "reshape");
  const cols = (s: Sym, m: number) => t.op("Transpose", [rows(s, m)], [n, kk, m], { perm: [0, 2, 1] }, "transpose");
  const sumN = (p: Sym) =>
    n === 1 ? p : t.op("ReduceSum", [p, t.i64([0])], [1, ...p.shape.slice(1)], { keepdims: 1 }, "rsum");
  // The larger stack is MatMul's left operand, which MLAS reads in place (the right one it packs, a copy).
  const mo = leadTaps * co;
  const mi = trailTaps * ci;
  if (mi > mo) {
    const prod = t.op("MatMul", [rows(X, mi), cols(D, mo)], [n, mi, mo], {}, "dwmm");
    // [(b.., i), (a.., o)] → [o, i, a.., b..]
    const split = t.op(
      "Reshape",
      [sumN(prod), t.i64([...trail, ci, ...lead, co])],
      [...trail, ci, ...lead, co],
      {},
      "reshape",
    );
    const perm = [
      d + 1,
      xAxes,
      ...Array.from({ length: dl }, (_, i) => xAxes + 1 + i),
      ...Array.from({ length: xAxes }, (_, i) => i),
    ];
    return t.op("Transpose", [split], [co, ci, ...k], { perm }, "transpose");
  }
  const prod = t.op("MatMul", [rows(D, mo), cols(X, mi)], [n, mo, mi], {}, "dwmm");
  // [(a.., o), (b.., i)] → [o, i, a.., b..]
  const split = t.op(
    "Reshape",
    [sumN(prod), t.i64([...lead, co, ...trail, ci])],
    [...lead, co, ...trail, ci],
    {},
    "reshape",
  );
  const perm = [
    dl,
    d + 1,
    ...Array.from({ length: dl }, (_, i) => i),
    ...Array.from({ length: xAxes }, (_, i) => dl + 1 + i),
  ];
  return t.op("Transpose", [split], [co, ci, ...k], { perm }, "transpose");
}

/** Every offset of the leading kernel axes, row-major. */
function leadOffsets(k: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of k) out = out.flatMap((p) => Array.from({ length: d }, (_, i) => [...p, i]));
  return out;
}

/** One-hot depthwise kernels [c·taps, 1, ...kernel]: output channel c·taps + s copies input channel c at tap s. */
function oneHot(t: Tape, c: number, kernel: readonly number[]): Sym {
  const taps = numel(kernel);
  const v = new Float32Array(c * taps * taps);
  for (let i = 0; i < c; i++) for (let s = 0; s < taps; s++) v[(i * taps + s) * taps + s] = 1;
  return t.f32(v, [c * taps, 1, ...kernel]);
}

/**
 * {@link splitShiftWeightGrad} with both shifted stacks made by one depthwise Conv each (one-hot kernels): x with a
 * 1..×k kernel along the last axis, dy with a k×..×1 kernel along the leading ones, channels ordered (c, tap).
 */
function convShifted(t: Tape, x: Sym, dy: Sym, k: readonly number[], pad: number, dyPads: boolean): Sym {
  const rank = x.shape.length;
  const d = rank - 2;
  const [n, ci, ...sp] = x.shape;
  const co = dy.shape[1];
  const kl = k[d - 1];
  const lead = k.slice(0, d - 1);
  const leadTaps = numel(lead);
  const kSpatial = [...sp.slice(0, d - 1).map((s) => s + 2 * pad), sp[d - 1]];
  const kk = numel(kSpatial);
  const xKernel = [...lead.map(() => 1), kl];
  // Leading axes: pad (no kernel extent there); last axis: 'same'.
  const X = t.op(
    "Conv",
    [x, oneHot(t, ci, xKernel)],
    [n, ci * kl, ...kSpatial],
    { kernel_shape: xKernel, pads: [...lead.map(() => pad), pad, ...lead.map(() => pad), pad], group: ci },
    "xshift",
  );
  const bT = t.op(
    "Transpose",
    [t.op("Reshape", [X, t.i64([n, ci * kl, kk])], [n, ci * kl, kk], {}, "reshape")],
    [n, kk, ci * kl],
    { perm: [0, 2, 1] },
    "transpose",
  );
  const sumN = (p: Sym) =>
    n === 1 ? p : t.op("ReduceSum", [p, t.i64([0])], [1, ...p.shape.slice(1)], { keepdims: 1 }, "rsum");
  if (dyPads) {
    // One Pad of dy and one MatMul per leading offset (no stacked copy of dy); products stacked as [(a.., o), (i, b)].
    const prods = leadOffsets(lead).map((off) => {
      const da = t.op(
        "Pad",
        [dy, t.i64([0, 0, ...off, 0, 0, 0, ...off.map((a) => 2 * pad - a), 0])],
        [n, co, ...kSpatial],
        {},
        "dpad",
      );
      const a = t.op("Reshape", [da, t.i64([n, co, kk])], [n, co, kk], {}, "reshape");
      return t.op("MatMul", [a, bT], [n, co, ci * kl], {}, "dwmm");
    });
    const all = leadTaps === 1 ? prods[0] : t.op("Concat", prods, [n, leadTaps * co, ci * kl], { axis: 1 }, "dwcat");
    const parts = t.op("Reshape", [sumN(all), t.i64([...lead, co, ci, kl])], [...lead, co, ci, kl], {}, "reshape");
    const order = [d - 1, d, ...Array.from({ length: d - 1 }, (_, i) => i), d + 1];
    return t.op("Transpose", [parts], [co, ci, ...k], { perm: order }, "transpose");
  }
  // D[(o, a), q] = dy[o, q − a]: a correlation with kernel one-hot at tap 2·pad − a over dy padded by 2·pad.
  const dyKernel = [...lead, 1];
  const flipped = new Float32Array(co * leadTaps * leadTaps);
  for (let o = 0; o < co; o++)
    for (let s = 0; s < leadTaps; s++) flipped[(o * leadTaps + s) * leadTaps + (leadTaps - 1 - s)] = 1;
  const D = t.op(
    "Conv",
    [dy, t.f32(flipped, [co * leadTaps, 1, ...dyKernel])],
    [n, co * leadTaps, ...kSpatial],
    { kernel_shape: dyKernel, pads: [...lead.map(() => 2 * pad), 0, ...lead.map(() => 2 * pad), 0], group: co },
    "dshift",
  );
  const a = t.op("Reshape", [D, t.i64([n, co * leadTaps, kk])], [n, co * leadTaps, kk], {}, "reshape");
  const prod = t.op("MatMul", [a, bT], [n, co * leadTaps, ci * kl], {}, "dwmm");
  // [(o, a..), (i, b)] → [o, i, a.., b]
  const split = t.op("Reshape", [sumN(prod), t.i64([co, ...lead, ci, kl])], [co, ...lead, ci, kl], {}, "reshape");
  const perm = [0, d, ...Array.from({ length: d - 1 }, (_, i) => 1 + i), d + 1];
  return t.op("Transpose", [split], [co, ci, ...k], { perm }, "transpose");
}
