import { drawAxes, drawLegend } from "./draw-axes.ts";
import { PALETTE, type Painter } from "./painter.ts";

/** One named series of (iteration, value) points. */
export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** What the training-curves chart shows: loss series and validation-Dice series over iterations. */
export interface CurvesData {
  readonly title: string;
  readonly loss: readonly Series[];
  readonly dice: readonly Series[];
}

/** Canvas size of {@link drawTrainingCurves}. */
export const CURVES_SIZE = { width: 760, height: 560 } as const;

/** Two stacked panels: training loss (top) and validation mean Dice (bottom), iterations on x. */
export function drawTrainingCurves(p: Painter, data: CurvesData): void {
  p.rect(0, 0, p.width, p.height, "#ffffff");
  p.text(p.width / 2, 22, data.title, { anchor: "middle", size: 15 });
  const all = [...data.loss, ...data.dice].flatMap((s) => s.points.map(([x]) => x));
  const xr: [number, number] = [0, Math.max(1, ...all)];
  const losses = data.loss.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  const top = drawAxes(p, {
    box: { x: 70, y: 60, w: p.width - 100, h: 180 },
    x: xr,
    y: [Math.min(0, ...losses), losses.length > 0 ? Math.max(...losses) : 1],
    title: "training loss",
    yTitle: "loss",
  });
  data.loss.forEach((s, i) => {
    p.polyline(
      s.points.map(([x, v]) => [top.sx(x), top.sy(v)]),
      PALETTE[i % PALETTE.length],
      2,
    );
  });
  const bottom = drawAxes(p, {
    box: { x: 70, y: 320, w: p.width - 100, h: 170 },
    x: xr,
    y: [0, 1],
    yFixed: true,
    title: "validation Dice (mean over classes)",
    xTitle: "iteration",
    yTitle: "Dice",
  });
  data.dice.forEach((s, i) => {
    const color = PALETTE[(i + data.loss.length) % PALETTE.length];
    const pts = s.points.map(([x, v]) => [bottom.sx(x), bottom.sy(v)] as const);
    p.polyline(pts, color, 2);
    for (const [x, y] of pts) p.rect(x - 2, y - 2, 5, 5, color);
  });
  drawLegend(p, 70, p.height - 18, [
    ...data.loss.map((s, i) => ({ name: `loss: ${s.name}`, color: PALETTE[i % PALETTE.length] })),
    ...data.dice.map((s, i) => ({ name: `Dice: ${s.name}`, color: PALETTE[(i + data.loss.length) % PALETTE.length] })),
  ]);
}
