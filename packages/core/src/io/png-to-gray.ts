import type { DecodedPng } from "./png-types.ts";

/** Options of pngToGray. */
export interface PngToGrayOptions {
  /** Divide by 2^bitDepth - 1 to land in [0, 1] (default false: keep the sample range, 0..65535 for 16 bits). */
  readonly unit?: boolean;
}

/**
 * One gray plane [H, W] (Float32Array) from a decoded PNG: gray as is, RGB as Rec. 601 luma
 * 0.299 R + 0.587 G + 0.114 B; alpha ignored. Values keep the file's sample range unless `unit`.
 */
export function pngToGray(png: DecodedPng, options: PngToGrayOptions = {}): Float32Array {
  const { data, width, height, channels } = png;
  const n = width * height;
  const out = new Float32Array(n);
  const scale = options.unit ? 1 / (2 ** png.bitDepth - 1) : 1;
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    const v = channels >= 3 ? 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2] : data[p];
    out[i] = v * scale;
  }
  return out;
}
