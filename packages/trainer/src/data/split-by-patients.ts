import { ArgumentError } from "@bcpseg/core";

/** Labeled and unlabeled sample indices of a semi-supervised split. */
export interface Split {
  /** Sample indices with labels used in training, in list order. */
  readonly labeled: number[];
  /** The other sample indices, in list order. */
  readonly unlabeled: number[];
  /** Patients whose samples are labeled, in order of first appearance. */
  readonly labeledPatients: string[];
}

/** How many patients to label: a count, or a fraction of the patients (rounded down, at least 1). */
export type SplitSpec = { readonly labeledPatients: number } | { readonly labeledFraction: number };

/**
 * Splits samples by patient: the first N patients (in order of first appearance in `patients`, one entry
 * per sample) are labeled, every sample of theirs goes to `labeled`, all others to `unlabeled`. A patient
 * is never divided. With ACDC's `train_slices.list` (patients contiguous) this equals the official
 * "first patients_to_slices(N) lines": 3 patients → 68 slices, 7 → 136.
 */
export function splitByPatients(patients: readonly string[], spec: SplitSpec): Split {
  const fn = "splitByPatients";
  const order: string[] = [];
  const seen = new Set<string>();
  for (const p of patients) {
    if (!seen.has(p)) {
      seen.add(p);
      order.push(p);
    }
  }
  let count: number;
  if ("labeledPatients" in spec) {
    count = spec.labeledPatients;
    if (!Number.isInteger(count) || count < 0 || count > order.length) {
      throw new ArgumentError(fn, "labeledPatients", `must be an integer in [0, ${order.length}], got ${count}`);
    }
  } else {
    const f = spec.labeledFraction;
    if (!(f > 0 && f <= 1)) throw new ArgumentError(fn, "labeledFraction", `must be in (0, 1], got ${f}`);
    // 1e-9 absorbs float products such as 0.29 * 100 = 28.999999999999996.
    count = Math.max(1, Math.floor(f * order.length + 1e-9));
  }
  const chosen = new Set(order.slice(0, count));
  const labeled: number[] = [];
  const unlabeled: number[] = [];
  patients.forEach((p, i) => {
    (chosen.has(p) ? labeled : unlabeled).push(i);
  });
  return { labeled, unlabeled, labeledPatients: order.slice(0, count) };
}
