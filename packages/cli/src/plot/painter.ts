/** Text placement of {@link Painter.text}. */
export interface TextStyle {
  readonly anchor?: "start" | "middle" | "end";
  readonly size?: number;
  readonly color?: string;
  /** Rotate -90° about (x, y) (vertical axis titles). */
  readonly vertical?: boolean;
}

/** The few drawing operations the charts use; one implementation writes SVG, another pixels. */
export interface Painter {
  readonly width: number;
  readonly height: number;
  rect(x: number, y: number, w: number, h: number, color: string): void;
  polyline(points: ReadonlyArray<readonly [number, number]>, color: string, width: number): void;
  text(x: number, y: number, text: string, style?: TextStyle): void;
}

/** "#rrggbb" → [r, g, b]. */
export function rgb(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return [0, 0, 0];
  const v = Number.parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Series colours (colour-blind safe, Okabe-Ito). */
export const PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000"];
