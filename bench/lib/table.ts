// Tiny helpers shared by the benchmarks: timing loops and a fixed-width table.
import { cpus } from "node:os";

/** Median milliseconds per call of `fn` over `iters` runs after `warmup` runs. */
export function timeMs(
  fn: () => unknown,
  { iters = 20, warmup = 3 }: { iters?: number; warmup?: number } = {},
): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/** Prints rows as an aligned Markdown table. */
export function printTable(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const out = [line(headers), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...cells.map(line)].join("\n");
  console.log(out);
  return out;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** One line naming the machine and date, for BENCHMARKS.md. */
export function machineLine(): string {
  const c = cpus();
  return `${new Date().toISOString().slice(0, 10)} · ${c.length}× ${c[0]?.model ?? "unknown CPU"} · Node ${process.version}`;
}
