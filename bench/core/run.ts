// bench/core: connected components, largest component, hd95 and asd — @bcpseg/core beside scipy on the
// same inputs in one run. Usage: npm run bench:core [-- --json out.json]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { asd, connectedComponents, hd95, largestComponent, largestComponentPerClass } from "@bcpseg/core";
import { machineLine, printTable, timeMs } from "../lib/table.ts";
import { binaryVolume, classMap2d, metricPair } from "./inputs.ts";

const map2d = classMap2d();
const vol = binaryVolume();
const { pred, gt } = metricPair();
const s2 = [256, 256];
const s3 = [112, 112, 80];

const binary = [1, 2, 3].map((c) => Uint8Array.from(map2d, (v) => (v === c ? 1 : 0)));
const ours = {
  cc2d: timeMs(() => {
    for (const b of binary) connectedComponents(b, s2, { connectivity: 8 });
  }),
  lcc2d: timeMs(() => largestComponentPerClass(map2d, s2, { connectivity: 8 })),
  cc3d: timeMs(() => connectedComponents(vol, s3, { connectivity: 26 }), { iters: 10 }),
  lcc3d: timeMs(() => largestComponent(vol, s3, { connectivity: 26 }), { iters: 10 }),
  hd95: timeMs(() => hd95(pred, gt, s3), { iters: 5, warmup: 1 }),
  asd: timeMs(() => asd(pred, gt, s3), { iters: 5, warmup: 1 }),
};

let ref: Record<string, number> & { values?: { hd95: number; asd: number }; scipy?: string } = {};
const dir = mkdtempSync(join(tmpdir(), "bcpseg-bench-"));
try {
  writeFileSync(join(dir, "map2d.u8"), map2d);
  writeFileSync(join(dir, "vol.u8"), vol);
  writeFileSync(join(dir, "pred.u8"), pred);
  writeFileSync(join(dir, "gt.u8"), gt);
  const script = fileURLToPath(new URL("./scipy_bench.py", import.meta.url));
  const r = spawnSync("python3", [script, dir], { encoding: "utf8" });
  if (r.status === 0) ref = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
  else console.error(`scipy comparison skipped: ${(r.stderr || r.error?.message || "python3 failed").split("\n")[0]}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n## bench/core — ${machineLine()}${ref.scipy ? ` · scipy ${ref.scipy}` : ""}\n`);
const rows: [string, keyof typeof ours][] = [
  ["connectedComponents 256x256, 3 classes, 8-conn", "cc2d"],
  ["largestComponentPerClass 256x256, 4 classes", "lcc2d"],
  ["connectedComponents 112x112x80, 26-conn", "cc3d"],
  ["largestComponent 112x112x80, 26-conn", "lcc3d"],
  ["hd95 112x112x80", "hd95"],
  ["asd 112x112x80", "asd"],
];
printTable(
  ["operation", "@bcpseg/core ms", "scipy ms", "ratio (core/scipy)"],
  rows.map(([name, k]) => [name, ours[k], ref[k] ?? NaN, ref[k] ? ours[k] / ref[k] : NaN]),
);
if (ref.values) {
  const h = hd95(pred, gt, s3);
  const a = asd(pred, gt, s3);
  console.log(`\nvalues: hd95 core ${h} scipy ${ref.values.hd95}; asd core ${a} scipy ${ref.values.asd}`);
}
