import { decodePng, dice, encodePng, synthSlices2d } from "@bcpseg/core";

/** A phantom slice (not in the training or validation sets) as an 8-bit PNG, with its true labels. */
export async function demoSample(
  size: readonly number[],
  seed: number,
): Promise<{ png: Uint8Array; truth: Uint8Array; shape: [number, number] }> {
  const s = synthSlices2d({ patients: 1, size, seed });
  const [, h, w] = s.shape;
  const k = Math.floor(s.shape[0] / 2); // a mid-ventricular slice: every class present
  const image = s.images.subarray(k * h * w, (k + 1) * h * w);
  const gray = new Uint8Array(h * w);
  for (let i = 0; i < gray.length; i++) gray[i] = Math.round(Math.min(1, Math.max(0, image[i])) * 255);
  const png = encodePng({ data: gray, width: w, height: h, channels: 1, bitDepth: 8 });
  return { png, truth: s.labels.slice(k * h * w, (k + 1) * h * w), shape: [h, w] };
}

/** Per-class Dice (classes 1..classes-1) of a label PNG answer against the truth. */
export async function sampleDice(
  answer: Uint8Array,
  truth: Uint8Array,
  shape: [number, number],
  classes: number,
): Promise<number[]> {
  const pred = decodePng(answer).data;
  const out: number[] = [];
  for (let k = 1; k < classes; k++) {
    const p = Uint8Array.from(pred, (v) => (v === k ? 1 : 0));
    const g = Uint8Array.from(truth, (v) => (v === k ? 1 : 0));
    out.push(dice(p, g, shape));
  }
  return out;
}
