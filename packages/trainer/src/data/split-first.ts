import { ArgumentError } from "@bcpseg/core";
import type { Split } from "./split-by-patients.ts";

/** LA-style split: the first `labeled` ids of the list (one volume per patient) are labeled, the rest not. */
export function splitFirst(ids: readonly string[], labeled: number): Split {
  if (!Number.isInteger(labeled) || labeled < 0 || labeled > ids.length) {
    throw new ArgumentError("splitFirst", "labeled", `must be an integer in [0, ${ids.length}], got ${labeled}`);
  }
  const all = ids.map((_, i) => i);
  return { labeled: all.slice(0, labeled), unlabeled: all.slice(labeled), labeledPatients: ids.slice(0, labeled) };
}
