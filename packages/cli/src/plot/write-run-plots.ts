import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type DiceBarsData, diceBarsSize, drawDiceBars } from "./dice-bars.ts";
import type { Painter } from "./painter.ts";
import { SvgPainter } from "./svg-painter.ts";
import { CURVES_SIZE, type CurvesData, drawTrainingCurves, type Series } from "./training-curves.ts";

/** Files written by {@link writeRunPlots}. */
export interface RunPlots {
  readonly curvesSvg: string;
  readonly diceSvg?: string;
}

/** A record of metrics.jsonl as the trainer writes it. */
interface LogRecord {
  type: string;
  stage?: "pretrain" | "selftrain";
  iteration?: number;
  loss?: number;
  dice?: number;
}

/** The parts of report.json the plots read. */
export interface ReportLike {
  readonly config?: { readonly classes?: number; readonly pretrain?: { readonly iterations?: number } };
  readonly evaluation?: { readonly perClass?: ReadonlyArray<{ readonly class: number; readonly dice: number }> };
}

/** Class names for a class count (ACDC-like for 4, LA-like for 2; background left out). */
export function foregroundNames(classes: number): string[] {
  if (classes === 4) return ["right ventricle", "myocardium", "left ventricle"];
  if (classes === 2) return ["foreground"];
  return Array.from({ length: classes - 1 }, (_, i) => `class ${i + 1}`);
}

/** Parses metrics.jsonl into loss and validation-Dice series (self-training iterations follow pre-training's). */
export function curvesFromLog(text: string, pretrainIterations: number, title: string): CurvesData {
  const last = new Map<string, LogRecord>(); // resumed runs log some iterations twice: keep the latest
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let r: LogRecord;
    try {
      r = JSON.parse(line) as LogRecord;
    } catch {
      continue; // a line cut short by a kill
    }
    if ((r.type === "train" || r.type === "val") && r.stage && typeof r.iteration === "number") {
      last.set(`${r.type}/${r.stage}/${r.iteration}`, r);
    }
  }
  const series = (type: string, stage: "pretrain" | "selftrain", key: "loss" | "dice"): Series => {
    const offset = stage === "selftrain" ? pretrainIterations : 0;
    const points = [...last.values()]
      .filter((r) => r.type === type && r.stage === stage && typeof r[key] === "number")
      .map((r) => [r.iteration! + offset, r[key]!] as const)
      .sort((a, b) => a[0] - b[0]);
    return { name: stage === "pretrain" ? "pre-train" : "self-train", points };
  };
  const nonEmpty = (s: Series[]) => s.filter((x) => x.points.length > 0);
  return {
    title,
    loss: nonEmpty([series("train", "pretrain", "loss"), series("train", "selftrain", "loss")]),
    dice: nonEmpty([series("val", "pretrain", "dice"), series("val", "selftrain", "dice")]),
  };
}

/** The Dice bars of one or more evaluated runs. */
export function diceBarsFrom(
  title: string,
  classes: number,
  runs: ReadonlyArray<{ name: string; report: ReportLike }>,
): DiceBarsData {
  const names = foregroundNames(classes);
  return {
    title,
    classes: names,
    models: runs.map(({ name, report }) => ({
      name,
      values: names.map((_, i) => report.evaluation?.perClass?.find((m) => m.class === i + 1)?.dice ?? Number.NaN),
    })),
  };
}

/** Renders a chart as SVG text (title, axis names, legend and ticks as text: any browser shows it). */
export function renderChart(size: { width: number; height: number }, draw: (p: Painter) => void): string {
  const svg = new SvgPainter(size.width, size.height);
  draw(svg);
  return svg.toString();
}

/**
 * Writes `curves.svg` (training loss and validation Dice from metrics.jsonl) and, when the report has an evaluation,
 * `dice.svg` (per-class Dice, with `compare` runs as extra bars) into the run folder `dir`.
 */
export async function writeRunPlots(
  dir: string,
  options: { title?: string; compare?: ReadonlyArray<{ name: string; report: ReportLike }>; name?: string } = {},
): Promise<RunPlots> {
  const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8").catch(() => "{}")) as ReportLike;
  const log = await readFile(join(dir, "metrics.jsonl"), "utf8").catch(() => "");
  const title = options.title ?? "BCP training";
  const curves = curvesFromLog(log, report.config?.pretrain?.iterations ?? 0, title);
  const out: { -readonly [K in keyof RunPlots]: RunPlots[K] } = { curvesSvg: join(dir, "curves.svg") };
  await writeAtomic(
    out.curvesSvg,
    renderChart(CURVES_SIZE, (p) => drawTrainingCurves(p, curves)),
  );
  if (report.evaluation?.perClass) {
    const classes = report.config?.classes ?? report.evaluation.perClass.length + 1;
    const runs = [{ name: options.name ?? "BCP", report }, ...(options.compare ?? [])];
    const bars = diceBarsFrom("Dice per class (validation)", classes, runs);
    out.diceSvg = join(dir, "dice.svg");
    await writeAtomic(
      out.diceSvg,
      renderChart(diceBarsSize(bars.classes.length), (p) => drawDiceBars(p, bars)),
    );
  }
  return out;
}

/** Writes `text` to `path` through a temporary file and a rename, so a reader never sees half a chart. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const part = `${path}.${process.pid}.part`;
  await writeFile(part, text);
  await rename(part, path);
}
