import type { Rng } from "../rng/create-rng.ts";

// 4 / 12 is the variance of a sum of four U(0, 1); the 16-bit halves make it (65536^2 - 1) / 12 each.
const SCALE = 1 / (65536 * Math.sqrt(4 / 12));
const MEAN = 4 * 32767.5;

/**
 * Approximate standard normal draw (Irwin-Hall sum of four 16-bit uniforms, tails cut at ±3.46):
 * two uint32 draws and only +, *, so it is bit-identical on every engine and cheap per pixel.
 */
export function approxNormal(rng: Rng): number {
  const a = rng.nextUint32();
  const b = rng.nextUint32();
  return ((a & 0xffff) + (a >>> 16) + (b & 0xffff) + (b >>> 16) - MEAN) * SCALE;
}

/** Uniform draw in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.random();
}

/**
 * Uniform random unit vector of `n` components by rejection from the n-ball; normalising with
 * Math.sqrt (correctly rounded everywhere) avoids the engine-dependent last bits of sin/cos.
 */
export function unitVector(rng: Rng, n: number): number[] {
  for (;;) {
    const v = Array.from({ length: n }, () => 2 * rng.random() - 1);
    let r2 = 0;
    for (const x of v) r2 += x * x;
    if (r2 <= 1 && r2 > 1e-4) {
      const r = Math.sqrt(r2);
      return v.map((x) => x / r);
    }
  }
}
