import { niceTicks, tickLabel } from "./nice-ticks.ts";
import type { Painter } from "./painter.ts";

/** A plot area inside a painter and its data → pixel mapping. */
export interface Frame {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  sx(v: number): number;
  sy(v: number): number;
}

/** Options of {@link drawAxes}. */
export interface AxesOptions {
  readonly box: { x: number; y: number; w: number; h: number };
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly title?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Fixed y range instead of nice ticks around the data (Dice: [0, 1]). */
  readonly yFixed?: boolean;
  /** No x ticks (bar charts label categories themselves). */
  readonly xTicks?: boolean;
}

/** Draws a frame with grid lines, tick labels and titles; returns the data → pixel mapping. */
export function drawAxes(p: Painter, o: AxesOptions): Frame {
  const { x, y, w, h } = o.box;
  const xt = niceTicks(o.x[0], o.x[1], 6);
  const yt = o.yFixed ? { ticks: ticks01(o.y), min: o.y[0], max: o.y[1] } : niceTicks(o.y[0], o.y[1], 5);
  const xmin = o.xTicks === false ? o.x[0] : xt.min;
  const xmax = o.xTicks === false ? o.x[1] : xt.max;
  const sx = (v: number) => x + ((v - xmin) / (xmax - xmin || 1)) * w;
  const sy = (v: number) => y + h - ((v - yt.min) / (yt.max - yt.min || 1)) * h;
  for (const t of yt.ticks) {
    p.rect(x, sy(t), w, 1, "#e4e4e4");
    p.text(x - 6, sy(t) + 4, tickLabel(t), { anchor: "end", size: 11, color: "#555555" });
  }
  if (o.xTicks !== false) {
    for (const t of xt.ticks) p.text(sx(t), y + h + 16, tickLabel(t), { anchor: "middle", size: 11, color: "#555555" });
  }
  p.rect(x, y + h, w, 1, "#888888");
  p.rect(x, y, 1, h, "#888888");
  if (o.title) p.text(x + w / 2, y - 10, o.title, { anchor: "middle", size: 14 });
  if (o.xTitle) p.text(x + w / 2, y + h + 34, o.xTitle, { anchor: "middle", size: 12, color: "#444444" });
  if (o.yTitle) p.text(x - 42, y + h / 2, o.yTitle, { anchor: "middle", size: 12, color: "#444444", vertical: true });
  return { x, y, w, h, sx, sy };
}

function ticks01([lo, hi]: readonly [number, number]): number[] {
  const out: number[] = [];
  for (let i = 0; i <= 5; i++) out.push(lo + ((hi - lo) * i) / 5);
  return out;
}

/** A legend row of colour swatches and names, from (x, y). */
export function drawLegend(
  p: Painter,
  x: number,
  y: number,
  items: ReadonlyArray<{ name: string; color: string }>,
): void {
  let cx = x;
  for (const it of items) {
    p.rect(cx, y - 8, 14, 8, it.color);
    p.text(cx + 18, y, it.name, { size: 11 });
    cx += 30 + it.name.length * 6.5;
  }
}
