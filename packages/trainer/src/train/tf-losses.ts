import { ArgumentError, DEFAULT_SMOOTH, type DiceForm, ShapeError } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";

/** Options of {@link tfMixLoss}: the same meaning and defaults as core's `MixLossOptions`. */
export interface TfMixLossOptions {
  readonly form: DiceForm;
  readonly labeledWeight?: number;
  readonly unlabeledWeight?: number;
  /** The official `unlab=True`: the frame (mask == 1) is unlabeled, the box labeled. */
  readonly frameIsUnlabeled?: boolean;
  /** batch-squared only: class 0 ignores the region mask (pre-a925e30 ACDC DiceLoss). */
  readonly legacyMaskBug?: boolean;
  readonly smooth?: number;
}

/** A differentiable loss: `value` = (dice + ce)/2 and its two weighted halves, all tf scalars. */
export interface TfLoss {
  readonly value: tf.Scalar;
  readonly dice: tf.Scalar;
  readonly ce: tf.Scalar;
}

/**
 * core's `mixLoss` as a differentiable tfjs graph on channels-last logits [N, ...spatial, C] (float32);
 * targets int32 [N, ...spatial], mask float32 0/1 [N, ...spatial] (1 = frame, supervised by frameTarget).
 * The caller owns the tensors (call inside tf.tidy / variableGrads).
 */
export function tfMixLoss(
  logits: tf.Tensor,
  frameTarget: tf.Tensor,
  boxTarget: tf.Tensor,
  mask: tf.Tensor,
  options: TfMixLossOptions,
): TfLoss {
  const fn = "tfMixLoss";
  const { form, labeledWeight = 1, unlabeledWeight = 0.5, frameIsUnlabeled = false, legacyMaskBug = false } = options;
  const smooth = resolveSmooth(fn, form, options.smooth, legacyMaskBug);
  checkSpatial(fn, logits, [frameTarget, boxTarget, mask]);
  const frameWeight = frameIsUnlabeled ? unlabeledWeight : labeledWeight;
  const boxWeight = frameIsUnlabeled ? labeledWeight : unlabeledWeight;
  return tf.tidy(() => {
    const c = logits.shape[logits.rank - 1] as number;
    const logp = tf.logSoftmax(logits, -1);
    const p = tf.exp(logp);
    const m = tf.cast(mask, "float32");
    const region = (target: tf.Tensor, weights: tf.Tensor, w: number) => {
      const t = tf.oneHot(tf.cast(target, "int32"), c);
      const dice =
        form === "batch-squared"
          ? diceBatchSquared(p, t, weights, legacyMaskBug, smooth)
          : dicePerSample(p, t, weights, smooth);
      return { dice: tf.mul(dice, w), ce: tf.mul(maskedCe(logp, t, weights), w) };
    };
    const frame = region(frameTarget, m, frameWeight);
    const box = region(boxTarget, tf.sub(1, m), boxWeight);
    const dice = tf.add(frame.dice, box.dice) as tf.Scalar;
    const ce = tf.add(frame.ce, box.ce) as tf.Scalar;
    return { value: tf.div(tf.add(dice, ce), 2) as tf.Scalar, dice, ce };
  });
}

/**
 * core's `supervisedLoss` (LA pre-training) on channels-last logits [N, ...spatial, C] and an int32 target
 * [N, ...spatial]: (plain CE mean + unmasked Dice)/2, Dice per-sample unless `form` says otherwise.
 */
export function tfSupervisedLoss(
  logits: tf.Tensor,
  target: tf.Tensor,
  options: { readonly form?: DiceForm; readonly smooth?: number } = {},
): TfLoss {
  const fn = "tfSupervisedLoss";
  const form = options.form ?? "per-sample";
  const smooth = resolveSmooth(fn, form, options.smooth, false);
  checkSpatial(fn, logits, [target]);
  return tf.tidy(() => {
    const c = logits.shape[logits.rank - 1] as number;
    const logp = tf.logSoftmax(logits, -1);
    const p = tf.exp(logp);
    const t = tf.oneHot(tf.cast(target, "int32"), c);
    const dice = (
      form === "batch-squared" ? diceBatchSquared(p, t, null, false, smooth) : dicePerSample(p, t, null, smooth)
    ) as tf.Scalar;
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(t, logp), -1))) as tf.Scalar;
    return { value: tf.div(tf.add(dice, ce), 2) as tf.Scalar, dice, ce };
  });
}

// ACDC DiceLoss: per class c over the whole batch, I = Σ p·T·m, Y = Σ T·m, Z = Σ p²·m,
// loss_c = 1 − (2I + ε)/(Z + Y + ε), Dice = mean_c loss_c; legacy: class 0 uses m = 1.
function diceBatchSquared(p: tf.Tensor, t: tf.Tensor, m: tf.Tensor | null, legacy: boolean, eps: number): tf.Tensor {
  const c = p.shape[p.rank - 1] as number;
  const axes = Array.from({ length: p.rank - 1 }, (_, i) => i);
  let w: tf.Tensor | null = m === null ? null : tf.expandDims(m, -1);
  if (w !== null && legacy) {
    const sel = tf.tensor1d(Array.from({ length: c }, (_, k) => (k === 0 ? 0 : 1)));
    w = tf.add(tf.mul(w, sel), tf.sub(1, sel)); // channel 0 all ones, the others the mask
  }
  const tw = w === null ? t : tf.mul(t, w);
  const inter = tf.sum(tf.mul(p, tw), axes);
  const y = tf.sum(tw, axes);
  const p2 = tf.square(p);
  const z = tf.sum(w === null ? p2 : tf.mul(p2, w), axes);
  const perClass = tf.sub(1, tf.div(tf.add(tf.mul(inter, 2), eps), tf.add(tf.add(z, y), eps)));
  return tf.mean(perClass);
}

// LA mask_DiceLoss: per sample n and class c, I = Σ p·t·m, U = Σ (p + t)·m, dice = (2I + ε)/(U + ε),
// loss = 1 − mean_{n,c} dice.
function dicePerSample(p: tf.Tensor, t: tf.Tensor, m: tf.Tensor | null, eps: number): tf.Tensor {
  const axes = Array.from({ length: p.rank - 2 }, (_, i) => i + 1);
  const w = m === null ? null : tf.expandDims(m, -1);
  const pw = w === null ? p : tf.mul(p, w);
  const tw = w === null ? t : tf.mul(t, w);
  const inter = tf.sum(tf.mul(pw, t), axes);
  const union = tf.add(tf.sum(pw, axes), tf.sum(tw, axes));
  return tf.sub(1, tf.mean(tf.div(tf.add(tf.mul(inter, 2), eps), tf.add(union, eps))));
}

// Σ(CE·m)/(Σm + 1e-16) with CE = −Σ_c t_c·log p_c; an empty region gives 0 as in the official code.
function maskedCe(logp: tf.Tensor, t: tf.Tensor, m: tf.Tensor): tf.Tensor {
  const ce = tf.neg(tf.sum(tf.mul(t, logp), -1));
  return tf.div(tf.sum(tf.mul(ce, m)), tf.add(tf.sum(m), 1e-16));
}

function resolveSmooth(fn: string, form: unknown, smooth: number | undefined, legacy: boolean): number {
  if (form !== "batch-squared" && form !== "per-sample") {
    throw new ArgumentError(fn, "form", `must be "batch-squared" or "per-sample", got ${JSON.stringify(form)}`);
  }
  if (legacy && form !== "batch-squared") {
    throw new ArgumentError(fn, "legacyMaskBug", 'only applies to form "batch-squared"');
  }
  if (smooth !== undefined && !(smooth >= 0)) throw new ArgumentError(fn, "smooth", `must be >= 0, got ${smooth}`);
  return smooth ?? DEFAULT_SMOOTH[form];
}

function checkSpatial(fn: string, logits: tf.Tensor, others: readonly tf.Tensor[]): void {
  const spatial = logits.shape.slice(0, -1);
  others.forEach((o, i) => {
    if (o.rank !== spatial.length || o.shape.some((d, k) => d !== spatial[k])) {
      throw new ShapeError(
        fn,
        `input ${i + 1}`,
        `must have shape [${spatial}] (logits [${logits.shape}]), got [${o.shape}]`,
      );
    }
  });
}
