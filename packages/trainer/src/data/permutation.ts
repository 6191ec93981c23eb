import type { Rng } from "@bcpseg/core";

/** A shuffled copy of `items` — Fisher-Yates from the end, as numpy's `permutation` walks it. */
export function permutation<T>(items: readonly T[], rng: Pick<Rng, "randint">): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.randint(0, i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
