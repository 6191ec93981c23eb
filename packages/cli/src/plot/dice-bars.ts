import { drawAxes, drawLegend } from "./draw-axes.ts";
import { PALETTE, type Painter } from "./painter.ts";

/** Per-class Dice of one or more models (bars grouped by class). */
export interface DiceBarsData {
  readonly title: string;
  readonly classes: readonly string[];
  /** values[m][k]: Dice of model m on class k (NaN drawn as no bar). */
  readonly models: ReadonlyArray<{ readonly name: string; readonly values: readonly number[] }>;
}

/** Canvas size of {@link drawDiceBars} for `classes` classes. */
export function diceBarsSize(classes: number): { width: number; height: number } {
  return { width: Math.max(420, 120 + classes * 150), height: 380 };
}

/** A grouped bar chart of per-class Dice in [0, 1], the value printed above each bar. */
export function drawDiceBars(p: Painter, data: DiceBarsData): void {
  p.rect(0, 0, p.width, p.height, "#ffffff");
  const k = data.classes.length;
  const f = drawAxes(p, {
    box: { x: 70, y: 50, w: p.width - 100, h: p.height - 130 },
    x: [0, k],
    y: [0, 1],
    yFixed: true,
    xTicks: false,
    title: data.title,
    yTitle: "Dice",
  });
  const m = Math.max(1, data.models.length);
  const group = f.w / k;
  const bar = Math.min(48, (group * 0.7) / m);
  for (let c = 0; c < k; c++) {
    const start = f.x + c * group + (group - bar * m) / 2;
    data.models.forEach((model, j) => {
      const v = model.values[c];
      if (!Number.isFinite(v)) return;
      const x = start + j * bar;
      const y = f.sy(Math.max(0, Math.min(1, v)));
      p.rect(x + 1, y, bar - 2, f.y + f.h - y, PALETTE[j % PALETTE.length]);
      p.text(x + bar / 2, y - 4, v.toFixed(3), { anchor: "middle", size: 10 });
    });
    p.text(f.x + c * group + group / 2, f.y + f.h + 16, data.classes[c], { anchor: "middle", size: 11 });
  }
  drawLegend(
    p,
    70,
    p.height - 18,
    data.models.map((mm, j) => ({ name: mm.name, color: PALETTE[j % PALETTE.length] })),
  );
}
