import { splitShiftWeightGrad } from "./split-shift-weight-grad.ts";
import { numel, type Sym, type Tape } from "./tape.ts";

// Forward ops of the reference networks with their reverse-mode rules, on NCHW / NCDHW tensors with static shapes.
// Every rule is written with standard ONNX ops (opset 17) in the formulation measured fastest on onnxruntime's CPU EP
// (BENCHMARKS.md, "Training on onnxruntime"): convolution weight gradients as GEMMs over shifted views of the input and
// output gradient (split-shift-weight-grad.ts for large images), input gradients as a convolution with flipped,
// channel-swapped weights.

const rep = (n: number, v: number) => Array.from({ length: n }, () => v);
const spatialAxes = (rank: number) => Array.from({ length: rank - 2 }, (_, i) => i + 2);
/** [C, N, ...] ⇄ [N, C, ...] (its own inverse). */
const swap01 = (rank: number) => [1, 0, ...spatialAxes(rank)];

/** Knobs of the lowering (one graph per choice; results agree to float rounding). */
export interface LowerOptions {
  /**
   * Weight gradient of a 3x3(x3) conv: "gemm" = one Gemm over all shifted views (Pad, Slice, Concat); "per-shift" =
   * one Gemm per shift (less memory); "depthwise" = the shifted views from one depthwise Conv with one-hot constant
   * weights, then a batched MatMul against dYᵀ; "split-shift" = the kernel offsets split between x (last axis) and dy
   * (leading axes), each stacked by Slice / Pad + Concat, then one batched MatMul (split-shift-weight-grad.ts);
   * "split-shift-conv" = the same with both stacks made by one-hot depthwise Convs; "split-shift-pads" = x's stack by
   * a depthwise Conv, dy's as one Pad and one MatMul per leading offset; "split-shift-2" = split-shift with the last two
   * axes' offsets on x (3-D: 9 Slices of x, 3 Pads of dy); "auto" (default, 2-D) = split-shift-conv where the
   * image is large against the channels (H·W ≥ 256·Ci), gemm-per-shift where H·W ≥ Ci, gemm below; 3-D:
   * split-shift-2 where D·H·W ≥ 1000·Ci, else gemm; per-shift past `colsLimit` (BENCHMARKS.md, per-layer tables).
   */
  readonly weightGrad?:
    | "auto"
    | "gemm"
    | "gemm-per-shift"
    | "depthwise"
    | "split-shift"
    | "split-shift-conv"
    | "split-shift-pads"
    | "split-shift-2";
  /** Input gradient of a 3x3(x3) conv: Conv with flipped swapped weights, or ConvTranspose. */
  readonly inputGrad?: "conv" | "conv-transpose";
  /** ConvTranspose k2 s2 forward: the ONNX op, or MatMul + depth-to-space (for EPs without 3-D ConvTranspose). */
  readonly convTranspose?: "op" | "matmul";
  /** MaxPool backward: MaxPool's Indices + MaxUnpool, or a first-maximum mask from elementwise ops. */
  readonly maxPoolGrad?: "indices" | "mask";
  /** LogSoftmax: the ONNX op, or ReduceMax/Sub/Exp/ReduceSum/Log/Sub (WebGPU has no LogSoftmax kernel). */
  readonly logSoftmax?: "op" | "decomposed";
  /** Above this many float elements the all-shifts Gemm switches to per-shift Gemms. */
  readonly colsLimit?: number;
}

export function reduceSum(t: Tape, x: Sym, axes: readonly number[], keepdims: boolean): Sym {
  const shape = keepdims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
  return t.op("ReduceSum", [x, t.i64(axes)], shape, { keepdims: keepdims ? 1 : 0 }, "rsum");
}

export function reduceMean(t: Tape, x: Sym, axes: readonly number[], keepdims: boolean): Sym {
  const shape = keepdims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
  return t.op("ReduceMean", [x], shape, { axes: [...axes], keepdims: keepdims ? 1 : 0 }, "rmean");
}

export function reshape(t: Tape, x: Sym, shape: readonly number[]): Sym {
  return t.op("Reshape", [x, t.i64(shape)], shape, {}, "reshape");
}

export function transpose(t: Tape, x: Sym, perm: readonly number[]): Sym {
  return t.op(
    "Transpose",
    [x],
    perm.map((p) => x.shape[p]),
    { perm: [...perm] },
    "transpose",
  );
}

export const bin = (t: Tape, op: "Add" | "Sub" | "Mul" | "Div", a: Sym, b: Sym): Sym => {
  const r = Math.max(a.shape.length, b.shape.length);
  const pa = [...rep(r - a.shape.length, 1), ...a.shape];
  const pb = [...rep(r - b.shape.length, 1), ...b.shape];
  return t.op(
    op,
    [a, b],
    pa.map((d, i) => Math.max(d, pb[i])),
    {},
    op.toLowerCase(),
  );
};

/** Conv (stride 1 with 'same' padding, or the V-Net's k2 s2) plus bias; weights [Co, Ci, ...k] (PyTorch layout). */
export function conv(t: Tape, x: Sym, w: Sym, b: Sym, stride: number, o: LowerOptions = {}): Sym {
  const rank = x.shape.length;
  const k = w.shape.slice(2);
  const pad = stride === 1 ? (k[0] - 1) / 2 : 0;
  const [n, , ...sp] = x.shape;
  const co = w.shape[0];
  const out = sp.map((d, i) => Math.floor((d + 2 * pad - k[i]) / stride) + 1);
  const y = t.op(
    "Conv",
    [x, w, b],
    [n, co, ...out],
    { kernel_shape: k, strides: rep(rank - 2, stride), pads: rep(2 * (rank - 2), pad) },
    "conv",
  );
  t.rule(() => {
    // dY = g·scale (scale per output channel, from a BatchNorm behind): the scale goes onto dB, dW and the weights
    // of the input gradient (Co entries each) instead of a pass over g.
    const d = t.gradScaled(y);
    if (d === undefined) return;
    const { g: dy, scale } = d;
    const perOut = (v: Sym) => scaleAxis(t, v, scale, 0);
    if (t.requiresGrad(b)) t.addGrad(b, perOut(reduceSum(t, dy, [0, ...spatialAxes(rank)], false)));
    if (t.requiresGrad(w)) t.addGrad(w, perOut(convWeightGrad(t, x, dy, k, stride, pad, o)));
    if (t.requiresGrad(x)) t.addGrad(x, convInputGrad(t, dy, perOut(w), x.shape, stride, pad, o));
  });
  return y;
}

/** v·scale with `scale` [v.shape[axis]] along `axis` (v itself when there is no scale). */
function scaleAxis(t: Tape, v: Sym, scale: Sym | undefined, axis: number): Sym {
  if (scale === undefined) return v;
  if (v.shape.length === 1) return bin(t, "Mul", v, scale);
  return bin(
    t,
    "Mul",
    v,
    reshape(
      t,
      scale,
      v.shape.map((d, i) => (i === axis ? d : 1)),
    ),
  );
}

/** [Co, N·P] from dY [N, Co, ...P] (no copy when N = 1). */
function channelsFirst(t: Tape, x: Sym): Sym {
  const [n, c, ...sp] = x.shape;
  const moved = n === 1 ? x : transpose(t, x, swap01(x.shape.length));
  return reshape(t, moved, [c, n * numel(sp)]);
}

/** dW of {@link conv} from its input x and output gradient dy (exported for bench/ort-layers.ts). */
export function convWeightGrad(
  t: Tape,
  x: Sym,
  dy: Sym,
  k: readonly number[],
  stride: number,
  pad: number,
  o: LowerOptions,
): Sym {
  const rank = x.shape.length;
  const [n, ci, ...sp] = x.shape;
  const co = dy.shape[1];
  const taps = numel(k);
  const dyT = channelsFirst(t, dy); // [Co, N·P]
  const cols = n * numel(dy.shape.slice(2));
  const gemm = (a: Sym, bT: Sym, rows: number) => t.op("Gemm", [a, bT], [a.shape[0], rows], { transB: 1 }, "gemm");
  if (taps === 1) return reshape(t, gemm(dyT, channelsFirst(t, x), ci), w4(co, ci, k));
  if (stride === k[0] && pad === 0) {
    // Non-overlapping k = s: [N, Ci, D, k, H, k, ...] → [Ci, k.., N, D, H, ...] → [Ci·k^d, N·P].
    const d = rank - 2;
    const split = reshape(t, x, [n, ci, ...sp.flatMap((s, i) => [s / k[i], k[i]])]);
    const perm = [
      1,
      ...Array.from({ length: d }, (_, i) => 3 + 2 * i),
      0,
      ...Array.from({ length: d }, (_, i) => 2 + 2 * i),
    ];
    const xr = reshape(t, transpose(t, split, perm), [ci * taps, cols]);
    return reshape(t, gemm(dyT, xr, ci * taps), w4(co, ci, k));
  }
  const mode = o.weightGrad ?? "auto";
  // 2-D "auto" (measured per layer, bench/ort-weight-grad.ts, BENCHMARKS.md): split shifts where the image is large
  // against the channels, one Gemm per shift in the middle, one Gemm over all shifts for small images.
  const autoSplit = mode === "auto" && rank === 4 && numel(sp) >= 256 * ci;
  const autoPerShift = mode === "auto" && rank === 4 && !autoSplit && numel(sp) >= ci;
  // 3-D "auto": two axes' offsets on x where the volume is large against the channels (the V-Net's first two levels).
  const autoSplit3 = mode === "auto" && rank === 5 && numel(sp) >= 1000 * ci;
  if (mode === "split-shift-2" || autoSplit3)
    return splitShiftWeightGrad(t, x, dy, k, pad, "slice", Math.min(2, rank - 2));
  if (mode === "split-shift" || mode === "split-shift-conv" || mode === "split-shift-pads" || autoSplit)
    return splitShiftWeightGrad(
      t,
      x,
      dy,
      k,
      pad,
      mode === "split-shift" ? "slice" : mode === "split-shift-pads" ? "pads" : "conv",
    );
  const big = taps * numel(x.shape) > (o.colsLimit ?? 48e6);
  const useDepthwise = !big && mode === "depthwise";
  if (useDepthwise) {
    // cols[n, i·taps + s, p] = x[n, i, p + offset(s)]: a depthwise Conv whose kernel s is one-hot at tap s.
    const onehot = new Float32Array(ci * taps * taps);
    for (let i = 0; i < ci; i++) for (let k = 0; k < taps; k++) onehot[(i * taps + k) * taps + k] = 1;
    const kernel = t.f32(onehot, [ci * taps, 1, ...k]);
    const d = rank - 2;
    const colsT = t.op(
      "Conv",
      [x, kernel],
      [n, ci * taps, ...sp],
      { kernel_shape: k, pads: rep(2 * d, pad), group: ci },
      "im2col",
    );
    const p = numel(sp);
    const dyT = reshape(t, transpose(t, dy, [0, ...spatialAxes(rank), 1]), [n, p, co]); // [N, P, Co]
    const prod = t.op("MatMul", [reshape(t, colsT, [n, ci * taps, p]), dyT], [n, ci * taps, co], {}, "dwmm");
    const summed = n === 1 ? reshape(t, prod, [ci * taps, co]) : reduceSum(t, prod, [0], false);
    return reshape(t, transpose(t, summed, [1, 0]), w4(co, ci, k));
  }
  // Stride 1, 'same' padding: the taps are shifted views of the zero-padded input [Ci, N, ...P + 2·pad].
  const xT = n === 1 ? x : transpose(t, x, swap01(rank));
  const axes = spatialAxes(rank);
  const padded = t.op(
    "Pad",
    [xT, t.i64([0, 0, ...rep(rank - 2, pad), 0, 0, ...rep(rank - 2, pad)])],
    xT.shape.map((d, i) => (i >= 2 ? d + 2 * pad : d)),
    {},
    "pad",
  );
  const shifts = allOffsets(k).map((off) => {
    const s = t.op(
      "Slice",
      [padded, t.i64(off), t.i64(off.map((v, i) => v + sp[i])), t.i64(axes)],
      xT.shape,
      {},
      "shift",
    );
    return s;
  });
  const perShift = mode === "gemm-per-shift" || autoPerShift || big;
  if (!perShift) {
    const stacked = t.op(
      "Concat",
      shifts.map((s) => reshape(t, s, [ci, 1, cols])),
      [ci, taps, cols],
      { axis: 1 },
      "cols",
    );
    return reshape(t, gemm(dyT, reshape(t, stacked, [ci * taps, cols]), ci * taps), w4(co, ci, k));
  }
  const parts = shifts.map((s) => reshape(t, gemm(dyT, reshape(t, s, [ci, cols]), ci), [co, ci, 1]));
  const joined = t.op("Concat", parts, [co, ci, taps], { axis: 2 }, "dw");
  return reshape(t, joined, w4(co, ci, k));
}

const w4 = (co: number, ci: number, k: readonly number[]) => [co, ci, ...k];

/** Every kernel offset in row-major order (the order of a PyTorch weight's trailing axes). */
function allOffsets(k: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of k) out = out.flatMap((p) => Array.from({ length: d }, (_, i) => [...p, i]));
  return out;
}

/** dX of {@link conv} from its output gradient dy and weights w (exported for bench/ort-layers.ts). */
export function convInputGrad(
  t: Tape,
  dy: Sym,
  w: Sym,
  xShape: readonly number[],
  stride: number,
  pad: number,
  o: LowerOptions,
): Sym {
  const rank = xShape.length;
  const k = w.shape.slice(2);
  const d = rank - 2;
  if (stride !== 1) {
    // k = s, no padding: the transposed convolution with the same weights.
    if ((o.convTranspose ?? "op") === "matmul") return convTransposeMatmul(t, dy, w);
    return t.op("ConvTranspose", [dy, w], [...xShape], { kernel_shape: k, strides: rep(d, stride) }, "dx");
  }
  if ((o.inputGrad ?? "conv") === "conv-transpose") {
    return t.op("ConvTranspose", [dy, w], [...xShape], { kernel_shape: k, pads: rep(2 * d, pad) }, "dx");
  }
  // dX = dY ⋆ flip(Wᵀ): weights [Ci, Co, ...k] reversed along every spatial axis, i.e. the row-major taps reversed:
  // a MatMul with the exchange matrix (exact: one product by 1, the rest by 0), faster than a negative-step Slice.
  const [co, ci] = w.shape;
  const taps = numel(k);
  let flipped = w;
  if (taps > 1) {
    const exchange = new Float32Array(taps * taps);
    for (let i = 0; i < taps; i++) exchange[i * taps + taps - 1 - i] = 1;
    const rows = reshape(t, w, [co * ci, taps]);
    flipped = reshape(t, t.op("MatMul", [rows, t.f32(exchange, [taps, taps])], [co * ci, taps], {}, "flip"), w.shape);
  }
  const wt = transpose(t, flipped, swap01(rank));
  return t.op("Conv", [dy, wt], [...xShape], { kernel_shape: k, pads: rep(2 * d, pad) }, "dx");
}

/**
 * ConvTranspose with kernel 2 and stride 2 (the V-Net's up-sampling), weights [Ci, Co, 2, 2, 2], plus bias.
 * "matmul" writes it as one MatMul and a depth-to-space shuffle (for EPs without a 3-D ConvTranspose).
 */
export function convTransposeK2(t: Tape, x: Sym, w: Sym, b: Sym, o: LowerOptions = {}): Sym {
  const rank = x.shape.length;
  const d = rank - 2;
  const [n, ci, ...sp] = x.shape;
  const co = w.shape[1];
  const k = w.shape.slice(2);
  const taps = numel(k);
  const outSp = sp.map((s) => 2 * s);
  let y: Sym;
  if ((o.convTranspose ?? "op") === "op") {
    y = t.op("ConvTranspose", [x, w, b], [n, co, ...outSp], { kernel_shape: k, strides: rep(d, 2) }, "convT");
  } else {
    y = bin(t, "Add", convTransposeMatmul(t, x, w), reshape(t, b, [1, co, ...rep(d, 1)]));
  }
  const yy = y;
  t.rule(() => {
    // As in conv: a per-channel scale on dY goes onto dB, dW and the weights of dX (axis 1 of w).
    const g = t.gradScaled(yy);
    if (g === undefined) return;
    const { g: dy, scale } = g;
    t.addGrad(b, scaleAxis(t, reduceSum(t, dy, [0, ...spatialAxes(rank)], false), scale, 0));
    // dW[i, o, a] = Σ x[n, i, p]·dY[n, o, 2p + a]: [Ci, N·P] × [Co·8, N·P]ᵀ.
    const split = reshape(t, dy, [n, co, ...sp.flatMap((s) => [s, 2])]);
    const perm = [
      1,
      ...Array.from({ length: d }, (_, i) => 3 + 2 * i),
      0,
      ...Array.from({ length: d }, (_, i) => 2 + 2 * i),
    ];
    const dyr = reshape(t, transpose(t, split, perm), [co * taps, n * numel(sp)]);
    const dw = t.op("Gemm", [channelsFirst(t, x), dyr], [ci, co * taps], { transB: 1 }, "gemm");
    t.addGrad(w, scaleAxis(t, reshape(t, dw, [...w.shape]), scale, 1));
    if (t.requiresGrad(x)) {
      const ws = scaleAxis(t, w, scale, 1);
      t.addGrad(x, t.op("Conv", [dy, ws], [...x.shape], { kernel_shape: k, strides: rep(d, 2) }, "dx"));
    }
  });
  return y;
}

/**
 * ConvTranspose with kernel = stride = 2 and no bias as one MatMul and a depth-to-space shuffle:
 * y[n, o, 2p + a] = Σ_i W[i, o, a]·x[n, i, p], Wᵀ [Co·2^d, Ci] × x [N, Ci, P] → [N, Co, 2.., P..] → [N, Co, 2P..].
 */
function convTransposeMatmul(t: Tape, x: Sym, w: Sym): Sym {
  const d = x.shape.length - 2;
  const [n, ci, ...sp] = x.shape;
  const co = w.shape[1];
  const k = w.shape.slice(2);
  const wm = transpose(t, reshape(t, w, [ci, co * numel(k)]), [1, 0]);
  const prod = t.op("MatMul", [wm, reshape(t, x, [n, ci, numel(sp)])], [n, co * numel(k), numel(sp)], {}, "convT.mm");
  const split = reshape(t, prod, [n, co, ...k, ...sp]);
  // [N, Co, a, b, c, D, H, W] → [N, Co, D, a, H, b, W, c]
  const perm = [0, 1, ...Array.from({ length: d }, (_, i) => [2 + d + i, 2 + i]).flat()];
  return reshape(t, transpose(t, split, perm), [n, co, ...sp.map((s, i) => s * k[i])]);
}

/** Running statistics of one BatchNorm as tensors of the graph (inputs, or the outputs of an earlier pass). */
export interface BnStats {
  mean: Sym;
  variance: Sym;
}

/**
 * BatchNorm in training mode (PyTorch BatchNorm{2,3}d): batch mean and biased variance over N and space,
 * y = (x − μ)/√(σ² + ε)·γ + β; when `stats` is given, r_μ ← (1 − m)·r_μ + m·μ and r_σ² ← (1 − m)·r_σ² +
 * m·σ²·n/(n − 1) are written back into it (m = 0.1). Backward, with x_c = x − μ and s = 1/√(σ² + ε):
 * dβ = Σdy, dγ = s·Σdy·x_c, dx = γs·(dy − s²·mean(dy·x_c)·x_c − mean(dy)) — two reductions, one per-channel
 * affine pass (ONNX BatchNormalization with unit statistics) and an Add; the factor γs is handed to the producer of x
 * unapplied (Tape.addScaledGrad), which a conv folds into its weights. The forward normalises with ONNX
 * BatchNormalization on the batch statistics (one fused pass).
 */
export function batchNormTrain(
  t: Tape,
  x: Sym,
  gamma: Sym,
  beta: Sym,
  stats: BnStats | undefined,
  eps = 1e-5,
  momentum = 0.1,
): Sym {
  const rank = x.shape.length;
  const c = x.shape[1];
  const axes = [0, ...spatialAxes(rank)];
  const bshape = [1, c, ...rep(rank - 2, 1)];
  const count = numel(x.shape) / c;
  const mean = reduceMean(t, x, axes, true);
  const xc = bin(t, "Sub", x, mean);
  const sq = t.op("ReduceSumSquare", [xc], bshape, { axes: [...axes], keepdims: 1 }, "sumsq");
  const variance = bin(t, "Mul", sq, t.scalar(1 / count));
  const meanC = reshape(t, mean, [c]);
  const varC = reshape(t, variance, [c]);
  const y = t.op("BatchNormalization", [x, gamma, beta, meanC, varC], x.shape, { epsilon: { f: eps } }, "bn");
  if (stats !== undefined) {
    const r = bin(t, "Mul", stats.mean, t.scalar(1 - momentum));
    stats.mean = bin(t, "Add", r, bin(t, "Mul", meanC, t.scalar(momentum)));
    // PyTorch: unbiased = σ²·n/(n − 1), then r ← (1 − m)·r + m·unbiased.
    const unbiased = bin(t, "Mul", varC, t.scalar(count / (count - 1)));
    stats.variance = bin(
      t,
      "Add",
      bin(t, "Mul", stats.variance, t.scalar(1 - momentum)),
      bin(t, "Mul", unbiased, t.scalar(momentum)),
    );
  }
  t.rule(() => {
    const dy = t.grad(y);
    if (dy === undefined) return;
    const invstd = t.op("Reciprocal", [t.op("Sqrt", [bin(t, "Add", varC, t.scalar(eps))], [c])], [c], {}, "invstd");
    const sumDy = reduceSum(t, dy, axes, false);
    const sumDyXc = reduceSum(t, bin(t, "Mul", dy, xc), axes, false);
    t.addGrad(beta, sumDy);
    t.addGrad(gamma, bin(t, "Mul", sumDyXc, invstd));
    if (!t.requiresGrad(x)) return;
    // dx = γs·u with u = dy + B·x_c + C, B = −s²·mean(dy·x_c), C = −mean(dy): u in two passes (x_c·B + C as
    // BatchNormalization with mean 0, variance 1, ε = 0; then + dy), and the factor γs per channel handed on unapplied
    // (Tape.addScaledGrad): the conv in front folds it into its weights instead of a third pass.
    const gs = bin(t, "Mul", gamma, invstd); // γs
    const b = bin(t, "Mul", bin(t, "Mul", invstd, invstd), bin(t, "Mul", sumDyXc, t.scalar(-1 / count)));
    const cst = bin(t, "Mul", sumDy, t.scalar(-1 / count));
    const zeros = t.f32(new Float32Array(c), [c]);
    const ones = t.f32(new Float32Array(c).fill(1), [c]);
    const affine = t.op("BatchNormalization", [xc, b, cst, zeros, ones], x.shape, { epsilon: { f: 0 } }, "bnaff");
    t.addScaledGrad(x, bin(t, "Add", dy, affine), gs);
  });
  return y;
}

/** BatchNorm in eval mode: the running statistics (ONNX BatchNormalization); no gradient rule (eval graphs only). */
export function batchNormEval(t: Tape, x: Sym, gamma: Sym, beta: Sym, stats: BnStats, eps = 1e-5): Sym {
  return t.op(
    "BatchNormalization",
    [x, gamma, beta, stats.mean, stats.variance],
    x.shape,
    { epsilon: { f: eps } },
    "bn",
  );
}

export function leakyRelu(t: Tape, x: Sym, alpha: number): Sym {
  const y = t.op("LeakyRelu", [x], x.shape, { alpha: { f: alpha } }, "lrelu");
  t.rule(() => {
    const dy = t.grad(y);
    if (dy === undefined) return;
    // dy·slope with slope = max(1[x > 0], α): Greater, Cast, Clip and Mul run 2x faster on the CPU EP than
    // Where(x > 0, dy, α·dy) (bench/ort-elementwise.ts); the same products, so the same values.
    const pos = t.op("Greater", [x, t.scalar(0)], x.shape, {}, "pos");
    if (alpha > 1) {
      t.addGrad(x, t.op("Where", [pos, dy, bin(t, "Mul", dy, t.scalar(alpha))], x.shape, {}, "dlrelu"));
      return;
    }
    const slope = t.op("Clip", [t.op("Cast", [pos], x.shape, { to: 1 }, "pos"), t.scalar(alpha)], x.shape, {}, "slope");
    t.addGrad(x, t.op("Mul", [dy, slope], x.shape, {}, "dlrelu"));
  });
  return y;
}

export function relu(t: Tape, x: Sym): Sym {
  const y = t.op("Relu", [x], x.shape, {}, "relu");
  t.rule(() => {
    const dy = t.grad(y);
    if (dy === undefined) return;
    const pos = t.op("Cast", [t.op("Greater", [x, t.scalar(0)], x.shape, {}, "pos")], x.shape, { to: 1 }, "pos");
    t.addGrad(x, t.op("Mul", [dy, pos], x.shape, {}, "drelu"));
  });
  return y;
}

/** Dropout with a mask fed in (values 0 or 1/(1 − p), the shape of x or broadcast over space). */
export function dropout(t: Tape, x: Sym, mask: Sym): Sym {
  const y = bin(t, "Mul", x, mask);
  t.rule(() => {
    const dy = t.grad(y);
    if (dy !== undefined) t.addGrad(x, bin(t, "Mul", dy, mask));
  });
  return y;
}

/** MaxPool kernel 2 stride 2; the gradient goes to the first maximum of each window (row-major), as tfjs and PyTorch. */
export function maxPool2(t: Tape, x: Sym, o: LowerOptions = {}): Sym {
  const rank = x.shape.length;
  const d = rank - 2;
  const [n, c, ...sp] = x.shape;
  const outShape = [n, c, ...sp.map((s) => Math.floor(s / 2))];
  const attrs = { kernel_shape: rep(d, 2), strides: rep(d, 2) };
  if ((o.maxPoolGrad ?? "indices") === "indices") {
    const [y, idx] = t.multi("MaxPool", [x], [outShape, outShape], attrs);
    if (t.requiresGrad(x)) t.markRequires(y);
    t.rule(() => {
      const dy = t.grad(y);
      if (dy === undefined) return;
      // MaxUnpool writes dY at MaxPool's indices into zeros: one pass (ScatterElements would copy a zero tensor first).
      t.addGrad(x, t.op("MaxUnpool", [dy, idx.name, t.i64(x.shape)], x.shape, attrs, "dpool"));
    });
    return y;
  }
  const y = t.op("MaxPool", [x], outShape, attrs, "pool");
  t.rule(() => {
    const dy = t.grad(y);
    if (dy === undefined) return;
    // Windows as a trailing axis: [N, C, D', 2, H', 2, ...] → [N, C, D', H', ..., 2^d]; keep the first maximum.
    const split = reshape(t, x, [n, c, ...outShape.slice(2).flatMap((s) => [s, 2])]);
    const perm = [
      0,
      1,
      ...Array.from({ length: d }, (_, i) => 2 + 2 * i),
      ...Array.from({ length: d }, (_, i) => 3 + 2 * i),
    ];
    const win = reshape(t, transpose(t, split, perm), [...outShape, 2 ** d]);
    const ymax = reshape(t, y, [...outShape, 1]);
    const hit = t.op("Cast", [t.op("Equal", [win, ymax], win.shape, {}, "eq")], win.shape, { to: 1 }, "hit");
    const seen = t.op("CumSum", [hit, t.i64Scalar(rank)], win.shape, {}, "seen");
    const first = bin(
      t,
      "Mul",
      hit,
      t.op("Cast", [t.op("Equal", [seen, t.scalar(1)], win.shape)], win.shape, { to: 1 }),
    );
    const g = bin(t, "Mul", first, reshape(t, dy, [...outShape, 1]));
    const back = reshape(t, g, [n, c, ...outShape.slice(2), ...rep(d, 2)]);
    const inv = [0, 1, ...Array.from({ length: d }, (_, i) => [2 + i, 2 + d + i]).flat()];
    t.addGrad(x, reshape(t, transpose(t, back, inv), x.shape));
  });
  return y;
}

/** Interpolation matrix [2n, n] of align-corners linear ×2 up-sampling. */
function upMatrix(size: number): Float32Array {
  const out = 2 * size;
  const a = new Float32Array(out * size);
  for (let o = 0; o < out; o++) {
    const src = out === 1 ? 0 : (o * (size - 1)) / (out - 1);
    const i0 = Math.floor(src);
    const f = src - i0;
    const i1 = Math.min(i0 + 1, size - 1);
    a[o * size + i0] += 1 - f;
    a[o * size + i1] += f;
  }
  return a;
}

/** Bilinear ×2 up-sampling with align_corners=True (2-D); backward Aₕᵀ·dY·A_w with the interpolation matrices. */
export function resize2x(t: Tape, x: Sym): Sym {
  const [n, c, h, w] = x.shape;
  const scales = t.f32([1, 1, 2, 2]);
  const y = t.op(
    "Resize",
    [x, "", scales],
    [n, c, 2 * h, 2 * w],
    { mode: "linear", coordinate_transformation_mode: "align_corners" },
    "resize",
  );
  t.rule(() => {
    const dy = t.grad(y);
    if (dy === undefined) return;
    const aw = t.f32(upMatrix(w), [2 * w, w]);
    const ah = upMatrix(h);
    const ahT = new Float32Array(h * 2 * h);
    for (let o = 0; o < 2 * h; o++) for (let i = 0; i < h; i++) ahT[i * 2 * h + o] = ah[o * h + i];
    const cols = t.op("MatMul", [dy, aw], [n, c, 2 * h, w], {}, "dresize");
    t.addGrad(x, t.op("MatMul", [t.f32(ahT, [h, 2 * h]), cols], x.shape, {}, "dresize"));
  });
  return y;
}

export function concat(t: Tape, xs: readonly Sym[]): Sym {
  const shape = [...xs[0].shape];
  shape[1] = xs.reduce((s, x) => s + x.shape[1], 0);
  const y = t.op("Concat", xs, shape, { axis: 1 }, "concat");
  t.rule(() => {
    const dy = t.grad(y);
    if (dy === undefined) return;
    const parts = t.multi(
      "Split",
      [dy, t.i64(xs.map((x) => x.shape[1]))],
      xs.map((x) => x.shape),
      { axis: 1 },
    );
    xs.forEach((x, i) => {
      t.addGrad(x, parts[i]);
    });
  });
  return y;
}

export function add(t: Tape, a: Sym, b: Sym): Sym {
  const y = bin(t, "Add", a, b);
  t.rule(() => {
    const dy = t.grad(y);
    if (dy === undefined) return;
    t.addGrad(a, dy);
    t.addGrad(b, dy);
  });
  return y;
}
