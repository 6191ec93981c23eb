import {
  bidirectionalMix,
  boxMask,
  emaUpdate,
  lossMask,
  type MixedBatch,
  pretrainMix,
  pseudoLabels,
  type Rng,
} from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/index.ts";
import type { SegmentationModel } from "../models/index.ts";
import type { TrainConfig } from "./config.ts";
import type { MomentumSgd } from "./sgd.ts";
import { tfMixLoss, tfSupervisedLoss } from "./tf-losses.ts";

/** What one training iteration touches. */
export interface StepContext {
  readonly config: TrainConfig;
  readonly student: SegmentationModel<unknown>;
  /** The EMA teacher (self-training only). */
  readonly teacher: SegmentationModel<unknown> | undefined;
  readonly optimizer: MomentumSgd;
  /** Box-mask offsets. */
  readonly maskRng: Rng;
  /** Student and teacher dropout masks. */
  readonly dropoutRng: Rng;
  readonly teacherDropoutRng: Rng;
}

/** Loss of one iteration as plain numbers (dice and ce are the weighted halves, value = (dice + ce)/2 summed). */
export interface StepStats {
  readonly loss: number;
  readonly dice: number;
  readonly ce: number;
}

/**
 * One pre-training iteration on the labeled half of a batch ([L, 1, ...patch]): one box mask, img_a framing
 * img_b's box; ACDC: mix_loss with both weights 1 (frame lab_a, box lab_b), LA: CE + unmasked Dice on the mixed
 * label; an SGD step.
 */
export function pretrainStep(ctx: StepContext, batch: Batch): StepStats {
  const { config } = ctx;
  const { mixed, lm } = pretrainInputs(config, batch, ctx.maskRng);
  return optimize(ctx, (apply, t) => {
    const logits = apply(mixed);
    if (config.pretrainLoss === "supervised") {
      return tfSupervisedLoss(logits, t(mixed.target, mixed.labelShape), { form: config.diceForm });
    }
    return tfMixLoss(
      logits,
      t(mixed.frameTarget, mixed.labelShape),
      t(mixed.boxTarget, mixed.labelShape),
      t(lm, mixed.labelShape, "float32"),
      {
        form: config.diceForm,
        labeledWeight: 1,
        unlabeledWeight: 1,
        frameIsUnlabeled: true,
        legacyMaskBug: config.quirks.legacyMaskBug,
      },
    );
  });
}

/** The pre-training mix of a batch's labeled half and its loss mask (one box mask drawn from `maskRng`). */
export function pretrainInputs(config: TrainConfig, batch: Batch, maskRng: Rng): { mixed: MixedBatch; lm: Uint8Array } {
  const patch = config.patchSize;
  const l = config.batch.labeled;
  const n = patch.reduce((a, b) => a * b, 1);
  const images = batch.images.subarray(0, l * n);
  const labels = batch.labels.subarray(0, l * n);
  const m = drawMask(config, maskRng);
  return { mixed: pretrainMix({ images, labels }, m, [l, 1, ...patch]), lm: lossMask(m, patch, l / 2) };
}

/**
 * One self-training iteration on a batch of L labeled then U unlabeled samples: teacher pseudo labels on the two
 * unlabeled sub-batches (separately, as the official code calls it), one box mask, both bidirectional mixes
 * through the student in the script's order, the sum of their mix losses, an SGD step, then the EMA update.
 */
export function selfTrainStep(ctx: StepContext, batch: Batch): StepStats {
  const { config, teacher } = ctx;
  if (teacher === undefined) throw new Error("selfTrainStep: the context has no teacher");
  const patch = config.patchSize;
  const plab = pseudoLabelHalves(
    config,
    teacherHalves(config, batch).map((x) =>
      tf.tidy(() => {
        const y = teacher.apply(tf.tensor(x, [x.length / numel(patch), ...patch, 1]), {
          training: config.teacherMode === "train",
          rng: ctx.teacherDropoutRng,
        });
        return tf.transpose(y, [0, y.rank - 1, ...patch.map((_, i) => i + 1)]).dataSync() as Float32Array;
      }),
    ),
  );

  const { order, lm } = selfTrainMixes(config, batch, plab, ctx.maskRng);
  const stats = optimize(ctx, (apply, t) => {
    const mask = t(lm, order[0].labelShape, "float32");
    const parts = order.map((mixed) =>
      tfMixLoss(apply(mixed), t(mixed.frameTarget, mixed.labelShape), t(mixed.boxTarget, mixed.labelShape), mask, {
        form: config.diceForm,
        labeledWeight: 1,
        unlabeledWeight: config.uWeight,
        frameIsUnlabeled: mixed.labeledRegion === "box",
        legacyMaskBug: config.quirks.legacyMaskBug,
      }),
    );
    return {
      value: tf.add(parts[0].value, parts[1].value) as tf.Scalar,
      dice: tf.add(parts[0].dice, parts[1].dice) as tf.Scalar,
      ce: tf.add(parts[0].ce, parts[1].ce) as tf.Scalar,
    };
  });
  teacher.setWeights(
    emaUpdate(teacher.getWeights(), ctx.student.getWeights(), config.ema.decay, { scope: config.ema.scope }),
  );
  return stats;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The teacher's inputs of a self-training batch (L labeled then U = L unlabeled samples): the unlabeled samples as
 * two sub-batches of L/2, as the official script calls the teacher on them (one call per half).
 */
export function teacherHalves(config: TrainConfig, batch: Batch): [Float32Array, Float32Array] {
  const l = config.batch.labeled;
  const n = numel(config.patchSize);
  const half = (h: number) => batch.images.subarray((l + (h * l) / 2) * n, (l + ((h + 1) * l) / 2) * n);
  return [half(0), half(1)];
}

/**
 * Pseudo labels of the unlabeled samples from the teacher's logits on each of {@link teacherHalves} (NC... each):
 * argmax or threshold, and the largest component per class when configured, half by half.
 */
export function pseudoLabelHalves(config: TrainConfig, logits: readonly Float32Array[]): Int32Array {
  const patch = config.patchSize;
  const s = config.batch.labeled / 2;
  const n = numel(patch);
  const plab = new Int32Array(logits.length * s * n);
  logits.forEach((y, half) => {
    const p = pseudoLabels(y, [s, config.classes, ...patch], {
      mode: config.pseudoLabel.mode,
      threshold: config.pseudoLabel.threshold,
      largestComponent: config.pseudoLabel.largestComponent,
    });
    plab.set(p, half * s * n);
  });
  return plab;
}

/**
 * The two bidirectional mixes of a self-training batch in the order the official script feeds them (ACDC:
 * net_input_unl then net_input_l; LA: mixl_img then mixu_img) and their loss mask; one box mask from `maskRng`.
 */
export function selfTrainMixes(
  config: TrainConfig,
  batch: Batch,
  pseudo: Int32Array,
  maskRng: Rng,
): { order: MixedBatch[]; lm: Uint8Array } {
  const patch = config.patchSize;
  const l = config.batch.labeled;
  const n = patch.reduce((a, b) => a * b, 1);
  const images = batch.images.subarray(0, l * n);
  const labels = batch.labels.subarray(0, l * n);
  const unlabeled = batch.images.subarray(l * n, 2 * l * n);
  const m = drawMask(config, maskRng);
  const mix = bidirectionalMix({ images, labels }, { images: unlabeled, pseudoLabels: pseudo }, m, [l, 1, ...patch], {
    pairing: config.pairing,
    labeledWeight: 1,
    unlabeledWeight: config.uWeight,
  });
  const order =
    config.pairing === "acdc" ? [mix.unlabeledFrame, mix.labeledFrame] : [mix.labeledFrame, mix.unlabeledFrame];
  return { order, lm: lossMask(m, patch, l / 2) };
}

type Apply = (mixed: MixedBatch) => tf.Tensor;
type ToTensor = (data: ArrayLike<number>, shape: readonly number[], dtype?: "int32" | "float32") => tf.Tensor;
type LossParts = { value: tf.Scalar; dice: tf.Scalar; ce: tf.Scalar };

/** Forward + backward + SGD step inside one tidy; returns the loss halves as numbers. */
function optimize(ctx: StepContext, loss: (apply: Apply, t: ToTensor) => LossParts): StepStats {
  const { student, optimizer } = ctx;
  const vars = student.trainableVariables as tf.Variable[];
  let stats: StepStats = { loss: Number.NaN, dice: Number.NaN, ce: Number.NaN };
  tf.tidy(() => {
    const apply: Apply = (mixed) =>
      student.apply(tf.tensor(mixed.images, [mixed.imageShape[0], ...mixed.imageShape.slice(2), 1]), {
        training: true,
        rng: ctx.dropoutRng,
      });
    const t: ToTensor = (data, shape, dtype = "int32") =>
      tf.tensor(dtype === "int32" ? Int32Array.from(data) : Float32Array.from(data), [...shape], dtype);
    const { grads } = tf.variableGrads(() => {
      const parts = loss(apply, t);
      const [value, dice, ce] = [parts.value, parts.dice, parts.ce].map((x) => x.dataSync()[0]);
      stats = { loss: value, dice, ce };
      return parts.value;
    }, vars);
    optimizer.step(vars.map((v) => grads[v.name]));
  });
  return stats;
}

function drawMask(config: TrainConfig, rng: Rng): Uint8Array {
  return boxMask(config.patchSize, {
    ratio: config.maskRatio,
    rng,
    offsetRange: config.quirks.officialMaskOffsets ? "official" : "full",
    legacy3dRange: config.quirks.legacy3dMaskRange && config.patchSize.length === 3,
  }).mask;
}
