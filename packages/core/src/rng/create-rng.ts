import { ArgumentError } from "../errors/bcp-error.ts";

/** Serializable generator state: four uint32 words of xoshiro128**. */
export type RngState = readonly [number, number, number, number];

/** A seedable pseudo-random generator; the only source of randomness in core. */
export interface Rng {
  /** Next uint32. */
  nextUint32(): number;
  /**
   * Fills `out` with the next `out.length` uint32 draws — the same numbers, in order, as that many
   * `nextUint32()` calls — and returns it. About 3x faster than the calls for large arrays (dropout masks).
   */
  fillUint32(out: Uint32Array): Uint32Array;
  /** Uniform float in [0, 1) with 53 random bits. */
  random(): number;
  /** Integer in [low, high) — numpy `randint` bounds (high exclusive). */
  randint(low: number, high: number): number;
  /** Standard normal draw (Box-Muller, no cached spare so the state alone replays the stream). */
  normal(): number;
  /** Copy of the current state, to checkpoint and resume the stream bit-for-bit. */
  state(): RngState;
  /** An independent generator derived from this one (advances this one by one draw). */
  fork(): Rng;
}

/**
 * Creates a xoshiro128** generator from an integer seed (expanded with splitmix32) or from a saved
 * state. Same seed → same stream on every runtime.
 */
export function createRng(seed: number | RngState = 0): Rng {
  let s0: number;
  let s1: number;
  let s2: number;
  let s3: number;
  if (typeof seed === "number") {
    if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
      throw new ArgumentError("createRng", "seed", `must be an integer, got ${String(seed)}`);
    }
    let x = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    s0 = next();
    s1 = next();
    s2 = next();
    s3 = next();
  } else {
    if (
      !Array.isArray(seed) ||
      seed.length !== 4 ||
      seed.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)
    ) {
      throw new ArgumentError("createRng", "seed", "state must be four uint32 words");
    }
    [s0, s1, s2, s3] = seed;
  }
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const fillUint32 = (out: Uint32Array): Uint32Array => {
    // nextUint32 with the state in locals, so the loop does not read and write the closure per draw.
    let a = s0;
    let b = s1;
    let c = s2;
    let d = s3;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.imul(rotl(Math.imul(b, 5), 7), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
    }
    [s0, s1, s2, s3] = [a, b, c, d];
    return out;
  };
  const random = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  const rng: Rng = {
    nextUint32,
    fillUint32,
    random,
    randint(low, high) {
      if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
        throw new ArgumentError("Rng.randint", "high", `must be an integer > low (${low}), got ${high}`);
      }
      const span = high - low;
      if (span <= 0x100000000) {
        // Rejection sampling: unbiased for any span up to 2^32.
        const limit = 0x100000000 - (0x100000000 % span);
        let v = nextUint32();
        while (v >= limit) v = nextUint32();
        return low + (v % span);
      }
      return low + Math.floor(random() * span);
    },
    normal() {
      let u = random();
      while (u === 0) u = random();
      const v = random();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    state: () => [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0],
    fork: () => createRng([nextUint32(), nextUint32(), nextUint32(), nextUint32()]),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
