import type { Painter, TextStyle } from "./painter.ts";

/** A Painter that collects SVG elements; `toString()` gives the document. */
export class SvgPainter implements Painter {
  readonly width: number;
  readonly height: number;
  readonly #parts: string[] = [];

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }

  rect(x: number, y: number, w: number, h: number, color: string): void {
    this.#parts.push(`<rect x="${r(x)}" y="${r(y)}" width="${r(w)}" height="${r(h)}" fill="${color}"/>`);
  }

  polyline(points: ReadonlyArray<readonly [number, number]>, color: string, width: number): void {
    if (points.length === 0) return;
    const d = points.map(([x, y]) => `${r(x)},${r(y)}`).join(" ");
    this.#parts.push(
      `<polyline points="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-linejoin="round"/>`,
    );
  }

  text(x: number, y: number, text: string, style: TextStyle = {}): void {
    const anchor = style.anchor ?? "start";
    const rotate = style.vertical ? ` transform="rotate(-90 ${r(x)} ${r(y)})"` : "";
    this.#parts.push(
      `<text x="${r(x)}" y="${r(y)}" font-size="${style.size ?? 12}" text-anchor="${anchor}" fill="${style.color ?? "#222222"}"${rotate}>${escapeXml(text)}</text>`,
    );
  }

  toString(): string {
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}" font-family="system-ui, sans-serif">`,
      ...this.#parts,
      "</svg>",
      "",
    ].join("\n");
  }
}

const r = (v: number) => Math.round(v * 10) / 10;

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );
}
