import type { Rng } from "../rng/create-rng.ts";
import { uniform, unitVector } from "./noise.ts";

/** Anatomy and scanner traits shared by all slices of one synthetic patient (lengths in units of min(H, W)). */
export interface CardiacPatient {
  /** LV centre at the base, as fractions of [H, W]. */
  readonly center: readonly [number, number];
  /** Centre drift (fractions) from base to apex. */
  readonly drift: readonly [number, number];
  /** LV blood-pool radius at the base. */
  readonly lvRadius: number;
  /** Minor/major axis ratio of the LV, and the major axis direction (unit vector, [row, col]). */
  readonly ellipticity: number;
  readonly axis: readonly [number, number];
  /** Myocardium thickness as a fraction of the base LV radius. */
  readonly wall: number;
  /** Direction from LV to RV (unit vector, [row, col]), RV depth and width relative to the LV outer radius. */
  readonly rvDirection: readonly [number, number];
  readonly rvDepth: number;
  readonly rvWidth: number;
  /** Slice position (0 base, 1 apex) at which the RV vanishes. */
  readonly rvVanish: number;
  /** Papillary muscle directions (unit vectors), dark dots inside the LV pool labelled LV. */
  readonly papillary: readonly (readonly [number, number])[];
  /** Unlabelled bright or dark structures: centre (fractions), radius, intensity. */
  readonly distractors: readonly { center: [number, number]; radius: number; intensity: number }[];
  /** Intensities of LV blood, RV blood, myocardium, background tissue and air, before bias and noise. */
  readonly intensity: { lv: number; rv: number; myo: number; tissue: number; air: number };
  /** Body ellipse semi-axes (fractions of [H, W]) around the image centre. */
  readonly body: readonly [number, number];
  /** Bias-field amplitude, noise standard deviation and shape-deformation amplitude. */
  readonly bias: number;
  readonly noise: number;
  readonly deform: number;
  /** Seed of the bias, deformation and texture fields every slice of the patient shares. */
  readonly fieldSeed: number;
}

/** Options of drawCardiacPatient: base levels the per-patient values vary around. */
export interface CardiacPatientOptions {
  /** Noise standard deviation before per-patient variation ×[0.6, 1.4] (default 0.035). */
  readonly noise?: number;
  /** Largest bias-field amplitude (default 0.3). */
  readonly bias?: number;
}

/** Draws one synthetic patient: short-axis cardiac anatomy and its acquisition contrast. */
export function drawCardiacPatient(rng: Rng, options: CardiacPatientOptions = {}): CardiacPatient {
  const lvRadius = uniform(rng, 0.085, 0.13);
  const [a0, a1] = unitVector(rng, 2);
  const [r0, r1] = unitVector(rng, 2);
  const rv = [-0.3 + 0.7 * r0, -1 + 0.7 * r1];
  const rn = Math.sqrt(rv[0] * rv[0] + rv[1] * rv[1]);
  const blood = uniform(rng, 0.68, 0.92);
  const papillary = Array.from({ length: rng.randint(0, 3) }, () => unitVector(rng, 2) as [number, number]);
  const center: [number, number] = [uniform(rng, 0.4, 0.6), uniform(rng, 0.4, 0.6)];
  const reach = lvRadius * 2.6; // clear of the LV and septum; the free RV wall may touch one
  const distractors: { center: [number, number]; radius: number; intensity: number }[] = [];
  const wanted = rng.randint(1, 4);
  for (let tries = 0; tries < 12 && distractors.length < wanted; tries++) {
    const at: [number, number] = [uniform(rng, 0.12, 0.88), uniform(rng, 0.12, 0.88)];
    const radius = uniform(rng, 0.03, 0.08);
    const intensity = rng.random() < 0.6 ? uniform(rng, 0.55, 0.9) : uniform(rng, 0.05, 0.15);
    const dr = at[0] - center[0];
    const dc = at[1] - center[1];
    if (Math.sqrt(dr * dr + dc * dc) > reach + radius + 0.05) distractors.push({ center: at, radius, intensity });
  }
  return {
    center,
    drift: [uniform(rng, -0.04, 0.04), uniform(rng, -0.04, 0.04)],
    lvRadius,
    ellipticity: uniform(rng, 0.78, 1),
    axis: [a0, a1],
    wall: uniform(rng, 0.35, 0.6),
    rvDirection: [rv[0] / rn, rv[1] / rn],
    rvDepth: uniform(rng, 0.7, 1.2),
    rvWidth: uniform(rng, 1.1, 1.5),
    rvVanish: uniform(rng, 0.78, 1.05),
    papillary,
    distractors,
    intensity: {
      lv: blood,
      rv: blood * uniform(rng, 0.88, 1.03),
      myo: uniform(rng, 0.2, 0.38),
      tissue: uniform(rng, 0.3, 0.5),
      air: uniform(rng, 0.01, 0.05),
    },
    body: [uniform(rng, 0.42, 0.52), uniform(rng, 0.48, 0.6)],
    bias: uniform(rng, 0, options.bias ?? 0.3),
    noise: (options.noise ?? 0.035) * uniform(rng, 0.6, 1.4),
    deform: uniform(rng, 0.03, 0.1),
    fieldSeed: rng.nextUint32(),
  };
}
