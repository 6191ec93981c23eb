import { ArgumentError } from "../errors/bcp-error.ts";
import { createRng } from "../rng/create-rng.ts";
import { checkShape } from "../tensor/check.ts";
import { synthVolume3d } from "./synth-volume-3d.ts";

/** Options of synthVolumes3d. */
export interface SynthVolumes3dOptions {
  /** Number of volumes (default 4). */
  readonly count?: number;
  /** [X, Y, Z] (default [64, 64, 48]). */
  readonly size?: readonly number[];
  /** Seed (default 0); volume k is the same whatever `count`. */
  readonly seed?: number;
  /** Base noise standard deviation before z-scoring (default 0.05). */
  readonly noise?: number;
}

/** A synthetic LA-like set: z-scored images [N, X, Y, Z] and binary labels [N, X, Y, Z]. */
export interface SynthVolumes3d {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly shape: [number, number, number, number];
}

/** Generates `count` independent blob volumes (see synthVolume3d). */
export function synthVolumes3d(options: SynthVolumes3dOptions = {}): SynthVolumes3d {
  const fn = "synthVolumes3d";
  const count = options.count ?? 4;
  if (!Number.isInteger(count) || count < 1) {
    throw new ArgumentError(fn, "count", `must be a positive integer, got ${count}`);
  }
  const size = options.size ?? [64, 64, 48];
  checkShape(fn, "size", size, [3]);
  const [X, Y, Z] = size;
  const n = X * Y * Z;
  const images = new Float32Array(count * n);
  const labels = new Uint8Array(count * n);
  const root = createRng(options.seed ?? 0);
  for (let k = 0; k < count; k++) {
    const v = synthVolume3d(root.fork(), { size, noise: options.noise });
    images.set(v.image, k * n);
    labels.set(v.label, k * n);
  }
  return { images, labels, shape: [count, X, Y, Z] };
}
