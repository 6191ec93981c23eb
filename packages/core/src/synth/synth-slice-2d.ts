import { ArgumentError } from "../errors/bcp-error.ts";
import { createRng, type Rng } from "../rng/create-rng.ts";
import { checkRange, checkShape } from "../tensor/check.ts";
import { binomialBlur } from "./blur.ts";
import { type CardiacPatient, drawCardiacPatient } from "./cardiac-patient.ts";
import { approxNormal, uniform } from "./noise.ts";
import { smoothField } from "./smooth-field.ts";

/** Options of synthSlice2d. */
export interface SynthSlice2dOptions {
  /** [H, W] (default [128, 128]). */
  readonly size?: readonly number[];
  /** Slice position from base (0) to apex (1); drawn in [0.1, 0.8] when left out. */
  readonly position?: number;
  /** The patient the slice belongs to; drawn from `rng` when left out (with `noise` and `bias`). */
  readonly patient?: CardiacPatient;
  readonly noise?: number;
  readonly bias?: number;
  /** Chance of extra partial-volume blur (default 0.25). */
  readonly blurProbability?: number;
  /** Rician (magnitude) noise, else additive Gaussian (default true). */
  readonly rician?: boolean;
}

/** One synthetic slice: image [H, W] in [0, 1] and ACDC labels [H, W] (0 bg, 1 RV, 2 myocardium, 3 LV). */
export interface SynthSlice {
  readonly image: Float32Array;
  readonly label: Uint8Array;
  readonly shape: [number, number];
}

/** Draws one short-axis-like cardiac slice: LV pool, myocardial ring, RV crescent, textured background. */
export function synthSlice2d(rng: Rng, options: SynthSlice2dOptions = {}): SynthSlice {
  const fn = "synthSlice2d";
  const size = options.size ?? [128, 128];
  checkShape(fn, "size", size, [2]);
  const [H, W] = size;
  if (H < 8 || W < 8) throw new ArgumentError(fn, "size", `must be at least 8 x 8, got ${H} x ${W}`);
  const t = options.position ?? uniform(rng, 0.1, 0.8);
  checkRange(fn, "position", t, 0, 1);
  const blurP = options.blurProbability ?? 0.25;
  checkRange(fn, "blurProbability", blurP, 0, 1);
  const p = options.patient ?? drawCardiacPatient(rng, { noise: options.noise, bias: options.bias });
  const s = Math.min(H, W);
  // Geometry in pixels at this slice position.
  const cy = (p.center[0] + p.drift[0] * t) * H;
  const cx = (p.center[1] + p.drift[1] * t) * W;
  const a = p.lvRadius * s * (1 - 0.1 * t - 0.45 * t * t);
  const b = a * p.ellipticity;
  const thick = Math.max(p.wall * p.lvRadius * s * (1 - 0.2 * t), 2.6);
  const [ay, ax] = p.axis;
  const outer = (a + b) / 2 + thick;
  const g = 1 - (t / p.rvVanish) * (t / p.rvVanish);
  const hasRv = g > 0.12;
  const [dy, dx] = p.rvDirection;
  const rvCy = cy + dy * outer * 0.5;
  const rvCx = cx + dx * outer * 0.5;
  const rvA = outer * (0.5 + p.rvDepth * g);
  const rvB = outer * p.rvWidth * (0.45 + 0.55 * g);
  const rvRim = 1 + 1.8 / Math.min(rvA, rvB);
  const papR = Math.max(1.2, 0.18 * a);
  const paps = t < 0.85 ? p.papillary.map(([uy, ux]) => [cy + uy * 0.62 * b, cx + ux * 0.62 * b]) : [];
  // Fields: shared by the patient's slices (bias, deformation, texture), plus a per-slice texture.
  const shared = createRng(p.fieldSeed);
  const deform = smoothField(shared, [H, W], 4);
  const bias = smoothField(shared, [H, W], 2);
  const texA = smoothField(shared, [H, W], 8);
  const texB = smoothField(rng, [H, W], 16);
  const { lv, rv, myo, tissue, air } = p.intensity;
  const label = new Uint8Array(H * W);
  let image: Float32Array = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const k = 1 + p.deform * deform[i];
      const tex = 0.7 * texA[i] + 0.3 * texB[i];
      const py = y - cy;
      const px = x - cx;
      const u = (ay * py + ax * px) / k;
      const v = (ay * px - ax * py) / k;
      const au = u / a;
      const bv = v / b;
      const ou = u / (a + thick);
      const ov = v / (b + thick);
      let value: number;
      if (au * au + bv * bv < 1) {
        label[i] = 3;
        value = lv * (1 + 0.03 * tex);
        for (const [qy, qx] of paps) {
          const ry = y - qy;
          const rx = x - qx;
          if (ry * ry + rx * rx < papR * papR) value = myo * 1.1;
        }
      } else if (ou * ou + ov * ov < 1) {
        label[i] = 2;
        value = myo * (1 + 0.08 * tex);
      } else {
        const ry = y - rvCy;
        const rx = x - rvCx;
        const ru = (dy * ry + dx * rx) / (k * rvA);
        const rw = (dy * rx - dx * ry) / (k * rvB);
        const e = Math.sqrt(ru * ru + rw * rw);
        if (hasRv && e < 1) {
          label[i] = 1;
          value = rv * (1 + 0.03 * tex);
        } else if (hasRv && e < rvRim) value = myo * 1.15;
        else value = background(p, y, x, H, W, s, k, tissue * (1 + 0.25 * tex), air);
      }
      image[i] = value;
    }
  }
  image = binomialBlur(image, H, W);
  if (rng.random() < blurP) {
    const passes = rng.randint(1, 3);
    for (let j = 0; j < passes; j++) image = binomialBlur(image, H, W);
  }
  const sigma = p.noise;
  const rician = options.rician ?? true;
  for (let i = 0; i < image.length; i++) {
    const clean = image[i] * (1 + p.bias * bias[i]);
    const n1 = clean + sigma * approxNormal(rng);
    let v = n1;
    if (rician) {
      const n2 = sigma * approxNormal(rng);
      v = Math.sqrt(n1 * n1 + n2 * n2);
    }
    image[i] = Math.min(1, Math.max(0, v));
  }
  return { image, label, shape: [H, W] };
}

/** Intensity of a background pixel: air outside the body ellipse, tissue or an unlabelled structure inside. */
function background(
  p: CardiacPatient,
  y: number,
  x: number,
  H: number,
  W: number,
  s: number,
  k: number,
  tissue: number,
  air: number,
): number {
  const by = (y - H / 2) / (p.body[0] * H * k);
  const bx = (x - W / 2) / (p.body[1] * W * k);
  if (by * by + bx * bx >= 1) return air;
  for (const d of p.distractors) {
    const ry = y - d.center[0] * H;
    const rx = x - d.center[1] * W;
    const r = d.radius * s * k;
    if (ry * ry + rx * rx < r * r) return d.intensity;
  }
  return tissue;
}
