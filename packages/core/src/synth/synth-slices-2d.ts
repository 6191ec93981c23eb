import { ArgumentError } from "../errors/bcp-error.ts";
import { createRng } from "../rng/create-rng.ts";
import { checkShape } from "../tensor/check.ts";
import { drawCardiacPatient } from "./cardiac-patient.ts";
import { uniform } from "./noise.ts";
import { synthSlice2d } from "./synth-slice-2d.ts";

/** Options of synthSlices2d: give `count` (slices) or `patients`, not both. */
export interface SynthSlices2dOptions {
  /** Total slices; patients are added until reached, the last one cut short. */
  readonly count?: number;
  /** Number of patients (default 10 when `count` is left out). */
  readonly patients?: number;
  /** Slices per patient, base to apex (default 10). */
  readonly slicesPerPatient?: number;
  /** [H, W] (default [128, 128]). */
  readonly size?: readonly number[];
  /** Seed of the whole set (default 0); patient k is the same whatever `count` or `patients`. */
  readonly seed?: number;
  /** Base noise standard deviation (default 0.035), largest bias amplitude (default 0.3). */
  readonly noise?: number;
  readonly bias?: number;
  readonly blurProbability?: number;
  readonly rician?: boolean;
}

/** A synthetic ACDC-like set: images [N, H, W] in [0, 1], labels [N, H, W] in {0, 1, 2, 3}. */
export interface SynthSlices2d {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly shape: [number, number, number];
  /** Patient id of each slice ("synth0003"), and its patient number. */
  readonly patientIds: string[];
  readonly patientIndex: Int32Array;
  /** Position of each slice from base (0) to apex (1). */
  readonly positions: Float32Array;
}

/** Generates short-axis cardiac slices of several patients, each patient a smooth base-to-apex stack. */
export function synthSlices2d(options: SynthSlices2dOptions = {}): SynthSlices2d {
  const fn = "synthSlices2d";
  const size = options.size ?? [128, 128];
  checkShape(fn, "size", size, [2]);
  const per = options.slicesPerPatient ?? 10;
  const count = options.count;
  if (count !== undefined && options.patients !== undefined) {
    throw new ArgumentError(fn, "count", "and patients are exclusive; give one");
  }
  for (const [name, v] of [
    ["slicesPerPatient", per],
    ["count", count ?? 1],
    ["patients", options.patients ?? 1],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ArgumentError(fn, name, `must be a positive integer, got ${v}`);
  }
  const patients = count !== undefined ? Math.ceil(count / per) : (options.patients ?? 10);
  const n = count ?? patients * per;
  const [H, W] = size;
  const images = new Float32Array(n * H * W);
  const labels = new Uint8Array(n * H * W);
  const patientIds: string[] = [];
  const patientIndex = new Int32Array(n);
  const positions = new Float32Array(n);
  const root = createRng(options.seed ?? 0);
  let k = 0;
  for (let q = 0; q < patients; q++) {
    const rng = root.fork();
    const patient = drawCardiacPatient(rng, { noise: options.noise, bias: options.bias });
    const t0 = uniform(rng, 0, 0.08);
    const t1 = uniform(rng, 0.88, 1);
    for (let j = 0; j < per && k < n; j++, k++) {
      const position = per === 1 ? 0.45 : t0 + ((t1 - t0) * j) / (per - 1);
      const slice = synthSlice2d(rng.fork(), {
        size,
        position,
        patient,
        blurProbability: options.blurProbability,
        rician: options.rician,
      });
      images.set(slice.image, k * H * W);
      labels.set(slice.label, k * H * W);
      patientIds.push(`synth${String(q).padStart(4, "0")}`);
      patientIndex[k] = q;
      positions[k] = position;
    }
  }
  return { images, labels, shape: [n, H, W], patientIds, patientIndex, positions };
}
