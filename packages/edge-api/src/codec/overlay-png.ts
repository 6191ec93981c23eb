import { encodePng, type ModelContract } from "@bcpseg/core";
import { classColors, rgbOf } from "./class-colors.ts";

/**
 * An RGB PNG of one gray slice [H, W] (min-max scaled to 0..255) with each non-background class blended in its
 * colour at `alpha` — for people, not for measuring.
 */
export async function overlayPng(
  gray: Float32Array,
  labels: Uint8Array,
  height: number,
  width: number,
  contract: ModelContract,
  alpha = 0.5,
): Promise<Uint8Array> {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of gray) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const colors = classColors(contract).map(rgbOf);
  const out = new Uint8Array(height * width * 3);
  for (let i = 0; i < gray.length; i++) {
    const g = (gray[i] - lo) * scale;
    const c = labels[i];
    const rgb = c > 0 ? colors[c] : undefined;
    for (let k = 0; k < 3; k++) out[3 * i + k] = Math.round(rgb ? (1 - alpha) * g + alpha * rgb[k] : g);
  }
  return encodePng({ data: out, width, height, channels: 3, bitDepth: 8 });
}
