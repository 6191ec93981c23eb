import { type Painter, rgb, type TextStyle } from "./painter.ts";

// A 3x5 pixel font for numbers (digits, sign, point, percent, exponent): the PNG carries the numbers, the SVG
// beside it the words.
const GLYPHS: Record<string, string> = {
  "0": "111101101101111",
  "1": "010110010010111",
  "2": "111001111100111",
  "3": "111001111001111",
  "4": "101101111001001",
  "5": "111100111001111",
  "6": "111100111101111",
  "7": "111001001001001",
  "8": "111101111101111",
  "9": "111101111001111",
  ".": "000000000000010",
  "-": "000000111000000",
  "+": "000010111010000",
  "%": "101001010100101",
  e: "000111101110011",
};

/** A Painter on an RGB pixel buffer (anti-aliasing-free), for charts saved as PNG with core's encodePng. */
export class RasterPainter implements Painter {
  readonly width: number;
  readonly height: number;
  /** RGB, row-major [height, width, 3]. */
  readonly pixels: Uint8Array;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height * 3).fill(255);
  }

  #set(x: number, y: number, c: readonly number[]): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 3;
    this.pixels[i] = c[0];
    this.pixels[i + 1] = c[1];
    this.pixels[i + 2] = c[2];
  }

  rect(x: number, y: number, w: number, h: number, color: string): void {
    const c = rgb(color);
    const x1 = Math.round(x + w);
    const y1 = Math.round(y + h);
    for (let yy = Math.round(y); yy < y1; yy++) for (let xx = Math.round(x); xx < x1; xx++) this.#set(xx, yy, c);
  }

  polyline(points: ReadonlyArray<readonly [number, number]>, color: string, width: number): void {
    const c = rgb(color);
    const half = Math.max(0, Math.floor((width - 1) / 2));
    const dot = (x: number, y: number) => {
      for (let dy = -half; dy <= half; dy++) for (let dx = -half; dx <= half; dx++) this.#set(x + dx, y + dy, c);
    };
    if (points.length === 1) dot(points[0][0], points[0][1]);
    for (let i = 1; i < points.length; i++) {
      const [x0, y0] = points[i - 1];
      const [x1, y1] = points[i];
      const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
      for (let s = 0; s <= steps; s++) dot(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps);
    }
  }

  text(x: number, y: number, text: string, style: TextStyle = {}): void {
    // Numbers only (tick labels, bar values): words and axis titles are left to the SVG.
    if (style.vertical || !/^[-+]?[0-9.]+(e[-+]?[0-9]+)?%?$/.test(text)) return;
    const scale = (style.size ?? 12) >= 14 ? 2 : 1;
    const advance = 4 * scale;
    const w = text.length * advance - scale;
    const anchor = style.anchor ?? "start";
    let cx = Math.round(anchor === "middle" ? x - w / 2 : anchor === "end" ? x - w : x);
    const top = Math.round(y - 5 * scale);
    const c = rgb(style.color ?? "#222222");
    for (const ch of text) {
      const g = GLYPHS[ch];
      if (g) {
        for (let row = 0; row < 5; row++) {
          for (let col = 0; col < 3; col++) {
            if (g[row * 3 + col] !== "1") continue;
            for (let sy = 0; sy < scale; sy++)
              for (let sx = 0; sx < scale; sx++) this.#set(cx + col * scale + sx, top + row * scale + sy, c);
          }
        }
      }
      cx += advance;
    }
  }
}
