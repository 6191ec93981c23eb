import type { EvalResult } from "@bcpseg/trainer";

/**
 * An evaluation as CSV: one row per case and class, then one `mean` row per class (mean over cases) and the
 * overall mean (class `all`). NaN (undefined distances) is an empty cell.
 */
export function evalCsv(result: EvalResult, names: readonly string[]): string {
  const cell = (v: number) => (Number.isFinite(v) ? String(v) : "");
  const name = (k: number) => quote(names[k] ?? `class ${k}`);
  const unit = result.unit ?? "voxel";
  const rows = [`case,class,name,dice,jaccard,hd95_${unit},asd_${unit}`];
  for (const c of result.cases) {
    for (const m of c.perClass) {
      rows.push(
        [quote(c.id), m.class, name(m.class), cell(m.dice), cell(m.jaccard), cell(m.hd95), cell(m.asd)].join(","),
      );
    }
  }
  for (const m of result.perClass) {
    rows.push(["mean", m.class, name(m.class), cell(m.dice), cell(m.jaccard), cell(m.hd95), cell(m.asd)].join(","));
  }
  const a = result.mean;
  rows.push(["mean", "all", "mean", cell(a.dice), cell(a.jaccard), cell(a.hd95), cell(a.asd)].join(","));
  return `${rows.join("\n")}\n`;
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
