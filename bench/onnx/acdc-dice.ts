// ACDC validation Dice of ONNX models with the trainer's slice protocol (src/eval/predict-volume-2d): each slice
// zoomed (nearest) to the model size, predicted, argmax, zoomed back; per-class Dice per case (scoreCase), classes
// averaged per case, then the mean over cases. Runs on onnxruntime-node (same kernels as -web, native speed).
import { zoomNearest } from "@bcpseg/core";
import { AcdcDataset, scoreCase } from "@bcpseg/trainer";
import * as ort from "onnxruntime-node";
import { ACDC_ROOT } from "./source.ts";

export interface DiceResult {
  /** Mean over cases of each class's Dice (classes 1..C-1). */
  readonly perClass: number[];
  readonly mean: number;
  readonly cases: number;
  /** Share of voxels where the model's prediction equals the first model's. */
  readonly agreement: number;
}

/** Dice of every model in `models` (ONNX bytes, output `probs` [N, C, h, w]) on the ACDC validation volumes. */
export async function acdcDice(
  models: readonly Uint8Array[],
  size: readonly [number, number],
  classes: number,
  acdcRoot: string = ACDC_ROOT,
): Promise<DiceResult[]> {
  const val = await AcdcDataset.open(acdcRoot, { split: "val" });
  const sessions = await Promise.all(models.map((m) => ort.InferenceSession.create(m)));
  const scores = models.map(() => [] as number[][]);
  const agree = models.map(() => 0);
  let voxels = 0;
  try {
    for (let c = 0; c < val.length; c++) {
      const { image, label, shape } = await val.get(c);
      if (label === undefined) throw new Error(`bench/onnx: ACDC case ${val.ids[c]} has no label`);
      const preds = await Promise.all(sessions.map((s) => predictVolume(s, image, shape, size, classes)));
      preds.forEach((p, m) => {
        scores[m].push(scoreCase(p, label, shape, classes, false).map((r) => r.dice));
        for (let i = 0; i < p.length; i++) if (p[i] === preds[0][i]) agree[m]++;
      });
      voxels += label.length;
    }
  } finally {
    for (const s of sessions) await s.release();
  }
  return scores.map((perCase, m) => {
    const perClass = Array.from({ length: classes - 1 }, (_, k) => mean(perCase.map((d) => d[k])));
    return { perClass, mean: mean(perClass), cases: perCase.length, agreement: agree[m] / voxels };
  });
}

async function predictVolume(
  session: ort.InferenceSession,
  image: Float32Array,
  shape: readonly number[],
  [ph, pw]: readonly [number, number],
  classes: number,
): Promise<Uint8Array> {
  const [s, h, w] = shape;
  const out = new Uint8Array(s * h * w);
  const batch = 4;
  for (let start = 0; start < s; start += batch) {
    const count = Math.min(batch, s - start);
    const input = new Float32Array(count * ph * pw);
    for (let k = 0; k < count; k++) {
      const src = image.subarray((start + k) * h * w, (start + k + 1) * h * w);
      input.set(zoomNearest(src, [h, w], [ph, pw]), k * ph * pw);
    }
    const r = await session.run({ input: new ort.Tensor("float32", input, [count, 1, ph, pw]) });
    const probs = r.probs.data as Float32Array;
    for (let k = 0; k < count; k++) {
      const small = new Uint8Array(ph * pw);
      for (let i = 0; i < ph * pw; i++) {
        let best = 0;
        for (let j = 1; j < classes; j++) {
          if (probs[(k * classes + j) * ph * pw + i] > probs[(k * classes + best) * ph * pw + i]) best = j;
        }
        small[i] = best;
      }
      out.set(zoomNearest(small, [ph, pw], [h, w]), (start + k) * h * w);
    }
  }
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
