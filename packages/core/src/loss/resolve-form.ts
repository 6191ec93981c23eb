import { ArgumentError } from "../errors/bcp-error.ts";
import { checkRange } from "../tensor/check.ts";
import type { DiceForm } from "./types.ts";

/** Official smoothing constant of each Dice form: 1e-10 (ACDC DiceLoss), 1e-5 (LA mask_DiceLoss). */
export const DEFAULT_SMOOTH: Readonly<Record<DiceForm, number>> = { "batch-squared": 1e-10, "per-sample": 1e-5 };

/** Validates the Dice form, smoothing and legacy flag shared by the loss functions; returns the smoothing. */
export function resolveDiceOptions(
  fn: string,
  form: unknown,
  smooth: number | undefined,
  legacyMaskBug: boolean | undefined,
): number {
  if (form !== "batch-squared" && form !== "per-sample") {
    throw new ArgumentError(fn, "form", `must be "batch-squared" or "per-sample", got ${JSON.stringify(form)}`);
  }
  if (legacyMaskBug && form !== "batch-squared") {
    throw new ArgumentError(fn, "legacyMaskBug", 'only applies to form "batch-squared" (ACDC DiceLoss)');
  }
  if (smooth === undefined) return DEFAULT_SMOOTH[form];
  checkRange(fn, "smooth", smooth, 0, Number.MAX_VALUE);
  return smooth;
}
