import type { MixLossOptions } from "./mix-loss.ts";

/**
 * The official `mix_loss` calls as {@link mixLoss} options. Self-train: labeled region 1.0, unlabeled 0.5;
 * "labeledFrame" = the paper's X_in (labeled frame, unlabeled box), "unlabeledFrame" = X_out (`unlab=True`).
 * ACDC pre-training mixes two labeled images: `mix_loss(out, lab_a, lab_b, loss_mask, u_weight=1.0, unlab=True)`.
 */
export const mixLossPresets = {
  acdcLabeledFrame: { form: "batch-squared", labeledWeight: 1, unlabeledWeight: 0.5, frameIsUnlabeled: false },
  acdcUnlabeledFrame: { form: "batch-squared", labeledWeight: 1, unlabeledWeight: 0.5, frameIsUnlabeled: true },
  acdcPretrain: { form: "batch-squared", labeledWeight: 1, unlabeledWeight: 1, frameIsUnlabeled: true },
  laLabeledFrame: { form: "per-sample", labeledWeight: 1, unlabeledWeight: 0.5, frameIsUnlabeled: false },
  laUnlabeledFrame: { form: "per-sample", labeledWeight: 1, unlabeledWeight: 0.5, frameIsUnlabeled: true },
} as const satisfies Record<string, MixLossOptions>;
