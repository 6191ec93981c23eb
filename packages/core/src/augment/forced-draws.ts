import { ArgumentError } from "../errors/bcp-error.ts";
import type { Rng } from "../rng/create-rng.ts";

/** What the random augmentations draw from: an {@link Rng} or {@link forcedDraws}. */
export type DrawSource = Pick<Rng, "random" | "randint">;

/**
 * Replays chosen draws instead of random ones, in call order: `random` for the Python `random.random()`
 * calls, `randint` for the numpy `randint(low, high)` calls (two separate streams, as in the official
 * loaders). Throws ERR_ARGUMENT when a list runs out or a forced randint lies outside [low, high).
 */
export function forcedDraws(draws: { readonly random?: readonly number[]; readonly randint?: readonly number[] }) {
  const random = [...(draws.random ?? [])];
  const randint = [...(draws.randint ?? [])];
  let r = 0;
  let k = 0;
  return {
    random(): number {
      if (r >= random.length) throw new ArgumentError("forcedDraws", "random", `has only ${random.length} values`);
      const v = random[r++];
      if (!(v >= 0 && v < 1)) throw new ArgumentError("forcedDraws", `random[${r - 1}]`, `must be in [0, 1), got ${v}`);
      return v;
    },
    randint(low: number, high: number): number {
      if (k >= randint.length) throw new ArgumentError("forcedDraws", "randint", `has only ${randint.length} values`);
      const v = randint[k++];
      if (!Number.isInteger(v) || v < low || v >= high) {
        throw new ArgumentError(
          "forcedDraws",
          `randint[${k - 1}]`,
          `must be an integer in [${low}, ${high}), got ${v}`,
        );
      }
      return v;
    },
    /** How many forced values are still unused (a test can assert none are left). */
    remaining(): { random: number; randint: number } {
      return { random: random.length - r, randint: randint.length - k };
    },
  };
}
