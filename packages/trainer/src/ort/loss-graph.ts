import { DEFAULT_SMOOTH, type DiceForm } from "@bcpseg/core";
import { DataType } from "../export/onnx-proto.ts";
import type { Sym, Tape } from "./tape.ts";
import { bin, type LowerOptions, reduceMean, reduceSum, reshape } from "./train-ops.ts";

/** A loss in the graph: its value and weighted halves (scalars) and its gradient with respect to the logits. */
export interface GraphLoss {
  readonly value: Sym;
  readonly dice: Sym;
  readonly ce: Sym;
  readonly dLogits: Sym;
}

/** One supervised region of a loss: one-hot target, voxel weights ([B, 1, ...S], or none = all ones) and its weight. */
interface Region {
  readonly target: Sym;
  readonly weights: Sym | undefined;
  readonly weight: number;
}

const spatialAxes = (rank: number) => Array.from({ length: rank - 2 }, (_, i) => i + 2);

/** One-hot float [B, C, ...S] of an int32 label input [B, ...S]. */
export function oneHot(t: Tape, labels: Sym, classes: number): Sym {
  const [b, ...s] = labels.shape;
  const shape = [b, classes, ...s];
  const ids = t.g.init(
    t.fresh("classes"),
    DataType.INT32,
    [1, classes, ...s.map(() => 1)],
    Int32Array.from({ length: classes }, (_, i) => i),
  );
  const eq = t.op("Equal", [reshape(t, labels, [b, 1, ...s]), ids], shape, {}, "onehot");
  return t.op("Cast", [eq], shape, { to: DataType.FLOAT }, "onehot");
}

/**
 * The mix loss of the official code (core `mixLoss`, tfjs `tfMixLoss`) on NCHW logits: the frame (mask = 1) is
 * supervised by `frameTarget` with weight `frameWeight`, the box by `boxTarget` with `boxWeight`; each region adds
 * its Dice (ACDC batch-squared DiceLoss, or LA per-sample mask_DiceLoss) and its masked CE, value = (Dice + CE)/2.
 * The gradient is written in closed form: dL/dp from the Dice terms and dL/dlog p from CE, then through the softmax.
 */
export function mixLossGraph(
  t: Tape,
  logits: Sym,
  frameTarget: Sym,
  boxTarget: Sym,
  mask: Sym,
  options: {
    readonly form: DiceForm;
    readonly frameWeight: number;
    readonly boxWeight: number;
    /** batch-squared only: class 0 ignores the region mask (pre-a925e30 ACDC DiceLoss). */
    readonly legacyMaskBug?: boolean;
  },
  lower: LowerOptions = {},
): GraphLoss {
  const classes = logits.shape[1];
  const [b, ...s] = mask.shape;
  const frameW = reshape(t, mask, [b, 1, ...s]);
  const boxW = bin(t, "Sub", t.scalar(1), frameW);
  return lossGraph(
    t,
    logits,
    options.form,
    options.legacyMaskBug ?? false,
    [
      { target: oneHot(t, frameTarget, classes), weights: frameW, weight: options.frameWeight },
      { target: oneHot(t, boxTarget, classes), weights: boxW, weight: options.boxWeight },
    ],
    lower,
  );
}

/** LA pre-training (core `supervisedLoss`): (plain CE mean + unmasked Dice)/2 against one int32 target. */
export function supervisedLossGraph(
  t: Tape,
  logits: Sym,
  target: Sym,
  form: DiceForm,
  lower: LowerOptions = {},
): GraphLoss {
  return lossGraph(
    t,
    logits,
    form,
    false,
    [{ target: oneHot(t, target, logits.shape[1]), weights: undefined, weight: 1 }],
    lower,
  );
}

/** log-softmax over the class axis 1. */
function logSoftmax(t: Tape, x: Sym, lower: LowerOptions): Sym {
  if ((lower.logSoftmax ?? "op") === "op") return t.op("LogSoftmax", [x], x.shape, { axis: 1 }, "logp");
  const keep = x.shape.map((d, i) => (i === 1 ? 1 : d));
  const shifted = bin(t, "Sub", x, t.op("ReduceMax", [x], keep, { axes: [1], keepdims: 1 }, "max"));
  const lse = t.op("Log", [reduceSum(t, t.op("Exp", [shifted], x.shape), [1], true)], keep, {}, "lse");
  return bin(t, "Sub", shifted, lse);
}

function lossGraph(
  t: Tape,
  logits: Sym,
  form: DiceForm,
  legacy: boolean,
  regions: readonly Region[],
  lower: LowerOptions,
): GraphLoss {
  const rank = logits.shape.length;
  const [b, c, ...s] = logits.shape;
  const eps = DEFAULT_SMOOTH[form];
  const all = Array.from({ length: rank }, (_, i) => i);
  const logp = logSoftmax(t, logits, lower);
  const p = t.op("Exp", [logp], logits.shape, {}, "p");
  const diceTerms: Sym[] = [];
  const ceTerms: Sym[] = [];
  const dP: Sym[] = [];
  const dLogp: Sym[] = [];
  const cshape = [1, c, ...s.map(() => 1)];
  for (const r of regions) {
    const T = r.target;
    // CE: masked = Σ(−Σ_c T·log p)·m / (Σm + 1e-16) (an empty region gives 0); plain = the mean over voxels.
    const tw = r.weights === undefined ? T : bin(t, "Mul", T, r.weights);
    const ceSum = reduceSum(t, bin(t, "Mul", tw, logp), all, false);
    const count =
      r.weights === undefined
        ? t.scalar(b * s.reduce((x, y) => x * y, 1))
        : bin(t, "Add", reduceSum(t, r.weights, all, false), t.scalar(1e-16));
    const ce = bin(t, "Div", t.op("Neg", [ceSum], []), count);
    ceTerms.push(bin(t, "Mul", ce, t.scalar(r.weight)));
    // d(w·CE/2)/dlog p = −(w/2)·T·m / count
    dLogp.push(bin(t, "Mul", tw, bin(t, "Div", t.scalar(-r.weight / 2), count)));

    if (form === "batch-squared") {
      // Per class over the whole batch: I = Σp·T·m, Y = ΣT·m, Z = Σp²·m; Dice = mean_c [1 − (2I + ε)/(Z + Y + ε)].
      let w = r.weights;
      if (w !== undefined && legacy) {
        const sel = t.f32(
          Array.from({ length: c }, (_, k) => (k === 0 ? 0 : 1)),
          cshape,
        );
        w = bin(t, "Add", bin(t, "Mul", w, sel), bin(t, "Sub", t.scalar(1), sel));
      }
      const axes = [0, ...spatialAxes(rank)];
      const tw2 = w === undefined ? T : bin(t, "Mul", T, w);
      const pw = w === undefined ? p : bin(t, "Mul", p, w);
      const inter = reduceSum(t, bin(t, "Mul", p, tw2), axes, true);
      const y = reduceSum(t, tw2, axes, true);
      const z = reduceSum(t, bin(t, "Mul", p, pw), axes, true);
      const den = bin(t, "Add", bin(t, "Add", z, y), t.scalar(eps));
      const num = bin(t, "Add", bin(t, "Mul", inter, t.scalar(2)), t.scalar(eps));
      const ratio = bin(t, "Div", num, den);
      const dice = bin(t, "Sub", t.scalar(1), reduceMean(t, ratio, all, false));
      diceTerms.push(bin(t, "Mul", dice, t.scalar(r.weight)));
      // d/dp of −(w/2)/C·Σ_c (2I + ε)/(Z + Y + ε) = −(w/C)·m·(T/den − p·num/den²)
      const invDen = t.op("Reciprocal", [den], cshape);
      const term = bin(t, "Sub", bin(t, "Mul", T, invDen), bin(t, "Mul", p, bin(t, "Mul", ratio, invDen)));
      const g = bin(t, "Mul", term, t.scalar(-r.weight / c));
      dP.push(w === undefined ? g : bin(t, "Mul", g, w));
    } else {
      // Per sample and class: I = Σp·T·m, U = Σp·m + ΣT·m; Dice = 1 − mean_{n,c} (2I + ε)/(U + ε).
      const axes = spatialAxes(rank);
      const pw = r.weights === undefined ? p : bin(t, "Mul", p, r.weights);
      const inter = reduceSum(t, bin(t, "Mul", pw, T), axes, true);
      const union = bin(t, "Add", reduceSum(t, pw, axes, true), reduceSum(t, tw, axes, true));
      const den = bin(t, "Add", union, t.scalar(eps));
      const ratio = bin(t, "Div", bin(t, "Add", bin(t, "Mul", inter, t.scalar(2)), t.scalar(eps)), den);
      const dice = bin(t, "Sub", t.scalar(1), reduceMean(t, ratio, all, false));
      diceTerms.push(bin(t, "Mul", dice, t.scalar(r.weight)));
      // d/dp of −(w/2)/(B·C)·Σ (2I + ε)/(U + ε) = −(w/2)/(B·C)·m·(2T − ratio)/den
      const invDen = t.op("Reciprocal", [den], den.shape);
      const term = bin(t, "Mul", bin(t, "Sub", bin(t, "Mul", T, t.scalar(2)), ratio), invDen);
      const g = bin(t, "Mul", term, t.scalar(-r.weight / (2 * b * c)));
      dP.push(r.weights === undefined ? g : bin(t, "Mul", g, r.weights));
    }
  }
  const sum = (xs: Sym[]) => xs.reduce((a, x) => bin(t, "Add", a, x));
  const dice = sum(diceTerms);
  const ce = sum(ceTerms);
  const value = bin(t, "Div", bin(t, "Add", dice, ce), t.scalar(2));
  const dp = sum(dP);
  // Through p = exp(log p), then log-softmax: dlogits = g − p·Σ_c g.
  const gl = bin(t, "Add", sum(dLogp), bin(t, "Mul", dp, p));
  const dLogits = bin(t, "Sub", gl, bin(t, "Mul", p, reduceSum(t, gl, [1], true)));
  return { value, dice, ce, dLogits };
}
