/** One Adam7 pass (or the whole image when not interlaced): origin, step and size in pixels. */
export interface PngPass {
  readonly x0: number;
  readonly y0: number;
  readonly dx: number;
  readonly dy: number;
  readonly width: number;
  readonly height: number;
}

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The passes of a PNG image: one full pass, or the seven Adam7 sub-images (empty ones kept, size 0). */
export function pngPasses(width: number, height: number, interlaced: boolean): PngPass[] {
  if (!interlaced) return [{ x0: 0, y0: 0, dx: 1, dy: 1, width, height }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({
    x0,
    y0,
    dx,
    dy,
    width: width > x0 ? Math.ceil((width - x0) / dx) : 0,
    height: height > y0 ? Math.ceil((height - y0) / dy) : 0,
  }));
}

/** Bytes in one scanline of `width` pixels, without the filter byte. */
export function pngRowBytes(width: number, channels: number, bitDepth: number): number {
  return Math.ceil((width * channels * bitDepth) / 8);
}

/** Bytes of the filtered stream of all passes (a filter byte per non-empty row). */
export function pngStreamBytes(passes: readonly PngPass[], channels: number, bitDepth: number): number {
  let n = 0;
  for (const p of passes)
    if (p.width > 0 && p.height > 0) n += p.height * (1 + pngRowBytes(p.width, channels, bitDepth));
  return n;
}
