import { ArgumentError } from "../errors/bcp-error.ts";
import type { Rng } from "../rng/create-rng.ts";
import { checkRange, checkShape } from "../tensor/check.ts";
import { approxNormal, uniform, unitVector } from "./noise.ts";
import { smoothField } from "./smooth-field.ts";

/** Options of synthVolume3d. */
export interface SynthVolume3dOptions {
  /** [X, Y, Z] (default [64, 64, 48]). */
  readonly size?: readonly number[];
  /** Base noise standard deviation before z-scoring (default 0.05). */
  readonly noise?: number;
}

/** One synthetic LA-like volume: z-scored image [X, Y, Z] and binary label [X, Y, Z]. */
export interface SynthVolume {
  readonly image: Float32Array;
  readonly label: Uint8Array;
  readonly shape: [number, number, number];
}

interface Ellipsoid {
  center: number[];
  /** Rows of R / radius: maps an offset to the unit ball. */
  m: number[][];
}

/** Rotation matrix of a unit quaternion (w, x, y, z): polynomial, so exact across engines. */
function rotation([w, x, y, z]: number[]): number[][] {
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
    [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
    [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
  ];
}

function ellipsoid(rng: Rng, center: number[], radii: number[]): Ellipsoid {
  const r = rotation(unitVector(rng, 4));
  return { center, m: r.map((row, k) => row.map((v) => v / radii[k])) };
}

/** Squared normalised radius of point p in ellipsoid e (< 1 inside). */
function q2(e: Ellipsoid, p: number[]): number {
  let s = 0;
  for (const row of e.m) {
    const u = row[0] * (p[0] - e.center[0]) + row[1] * (p[1] - e.center[1]) + row[2] * (p[2] - e.center[2]);
    s += u * u;
  }
  return s;
}

/**
 * Draws a smooth random blob (a union of 2-4 rotated ellipsoids deformed by low-frequency noise) in
 * a textured background with an unlabelled look-alike, bias field and noise, then z-scores the image.
 */
export function synthVolume3d(rng: Rng, options: SynthVolume3dOptions = {}): SynthVolume {
  const fn = "synthVolume3d";
  const size = options.size ?? [64, 64, 48];
  checkShape(fn, "size", size, [3]);
  if (size.some((d) => d < 8)) throw new ArgumentError(fn, "size", `must be at least 8 per axis, got [${size}]`);
  const noise = options.noise ?? 0.05;
  checkRange(fn, "noise", noise, 0, 1);
  const [X, Y, Z] = size;
  const first = size.map((d) => d * uniform(rng, 0.4, 0.6));
  const blobs = [
    ellipsoid(
      rng,
      first,
      size.map((d) => d * uniform(rng, 0.16, 0.26)),
    ),
  ];
  const extra = rng.randint(1, 4);
  for (let k = 0; k < extra; k++) {
    const dir = unitVector(rng, 3);
    const reach = uniform(rng, 0.1, 0.18);
    const c = first.map((v, j) => v + dir[j] * reach * size[j]);
    blobs.push(
      ellipsoid(
        rng,
        c,
        size.map((d) => d * uniform(rng, 0.1, 0.18)),
      ),
    );
  }
  const dir = unitVector(rng, 3);
  const lookalike = ellipsoid(
    rng,
    first.map((v, j) => v + dir[j] * 0.42 * size[j]),
    size.map((d) => d * uniform(rng, 0.04, 0.08)),
  );
  const deform = smoothField(rng, size, 3);
  const texture = smoothField(rng, size, 6);
  const bias = smoothField(rng, size, 2);
  const fg = uniform(rng, 0.55, 0.8);
  const bg = uniform(rng, 0.2, 0.35);
  const biasAmp = uniform(rng, 0, 0.3);
  const sigma = noise * uniform(rng, 0.6, 1.4);
  const meanRadius = (size[0] + size[1] + size[2]) * 0.05;
  const label = new Uint8Array(X * Y * Z);
  const image = new Float32Array(X * Y * Z);
  const p = [0, 0, 0];
  let i = 0;
  let sum = 0;
  for (let x = 0; x < X; x++) {
    for (let y = 0; y < Y; y++) {
      for (let z = 0; z < Z; z++, i++) {
        p[0] = x;
        p[1] = y;
        p[2] = z;
        let m = q2(blobs[0], p);
        for (let k = 1; k < blobs.length; k++) m = Math.min(m, q2(blobs[k], p));
        const d = Math.sqrt(m) / (1 + 0.2 * deform[i]);
        if (d < 1) label[i] = 1;
        // Partial volume: a one-voxel linear ramp across the boundary (d - 1 in radii ≈ voxels / meanRadius).
        const w = Math.min(1, Math.max(0, 0.5 + (1 - d) * meanRadius));
        const look = q2(lookalike, p) < 1 ? fg * 0.95 : bg * (1 + 0.3 * texture[i]);
        const clean = (w * fg * (1 + 0.05 * texture[i]) + (1 - w) * look) * (1 + biasAmp * bias[i]);
        const v = clean + sigma * approxNormal(rng);
        image[i] = v;
        sum += v;
      }
    }
  }
  // z-score in float64: mean, then the mean squared deviation (two passes for accuracy).
  const mean = sum / image.length;
  let ss = 0;
  for (let j = 0; j < image.length; j++) ss += (image[j] - mean) * (image[j] - mean);
  const std = Math.sqrt(ss / image.length) || 1;
  for (let j = 0; j < image.length; j++) image[j] = (image[j] - mean) / std;
  return { image, label, shape: [X, Y, Z] };
}
