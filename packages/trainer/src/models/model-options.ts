import { ArgumentError } from "@bcpseg/core";

// Option checks shared by the network factories.

/** Channel counts scaled by a width multiplier (rounded, at least 1). */
export function scaleChannels(fn: string, base: readonly number[], width: number): number[] {
  if (typeof width !== "number" || !Number.isFinite(width) || width <= 0) {
    throw new ArgumentError(fn, "options.width", `must be a positive number, got ${String(width)}`);
  }
  return base.map((c) => Math.max(1, Math.round(c * width)));
}

/** Throws unless `value` is an integer ≥ 1. */
export function checkCount(fn: string, arg: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ArgumentError(fn, arg, `must be an integer >= 1, got ${String(value)}`);
  }
}

/** Throws unless `seed` is an integer. */
export function checkSeed(fn: string, seed: number): void {
  if (!Number.isInteger(seed)) throw new ArgumentError(fn, "options.seed", `must be an integer, got ${String(seed)}`);
}
