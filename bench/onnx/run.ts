// bench/onnx: the 2D U-Net (width 1, 256x256) exported as fp32, fp16, int8 weights-only and int8 static — file
// size, latency of one 1x1x256x256 slice on onnxruntime-web (1 and 2 threads) and onnxruntime-node (1 and 2
// threads) — and ACDC validation Dice fp32 vs int8 static of the newest runs/acdc-bcp checkpoint (selftrain-best,
// last, pretrain-best; or --checkpoint), with slices resized to the checkpoint's patch size. The latency net carries
// the checkpoint's weights when that is a width-1 256x256 net, random weights otherwise (latency does not depend on
// the values); Dice is skipped without a checkpoint. --rounds 0 skips the latency runs. Latency: `--rounds` rounds, each starting one process per runtime in turn, each process
// running every precision in turn `--iters` times; medians over all runs (fair on a machine shared with other jobs).
// Usage: npm run bench:onnx [-- --rounds 4 --iters 5 --checkpoint PATH --calibration 32 --no-dice --json out.json]
//        [--root DIR: ACDC in the SSL4MIS layout, default ../shared/data/ACDC beside the repository]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultContract2d } from "@bcpseg/core";
import { exportOnnx, type OrtModule, type Precision } from "@bcpseg/trainer";
import * as ortNode from "onnxruntime-node";
import { sharedDataRoot } from "../lib/shared-data.ts";
import { machineLine, printTable } from "../lib/table.ts";
import { acdcDice } from "./acdc-dice.ts";
import { calibrationImages, checkpointSource, findCheckpoint, type NetSource, randomSource } from "./source.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "4" },
    iters: { type: "string", default: "5" },
    checkpoint: { type: "string" },
    root: { type: "string" },
    calibration: { type: "string", default: "32" },
    method: { type: "string", default: "percentile" },
    width: { type: "string", default: "1" },
    "no-dice": { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const SIZE: [number, number] = [256, 256];
const PRECISIONS: Precision[] = ["fp32", "fp16", "int8-weights", "int8-static"];
const RUNTIMES = [
  ["web", 1],
  ["web", 2],
  ["node", 1],
  ["node", 2],
] as const;

const started = performance.now();
const method = args.method as "minmax" | "percentile";
const checkpointPath = findCheckpoint(args.checkpoint);
const trained = checkpointPath === undefined ? undefined : await checkpointSource(checkpointPath);
const width = Number(args.width);
const fits = trained?.arch.width === width && trained.size.every((d, i) => d === SIZE[i]);
const source = fits ? trained : randomSource(width);
const acdcRoot = sharedDataRoot("ACDC", args.root);
const acdcImages = trained
  ? await calibrationImages(true, trained.size, Number(args.calibration), acdcRoot)
  : undefined;
const phantomImages = await calibrationImages(false, SIZE, Number(args.calibration));
console.error(`bench/onnx: latency net ${source.description}; Dice net ${trained?.description ?? "none"}`);

/** Every precision of `net`, int8-static calibrated on `images`. */
async function exportAll(net: NetSource, images: Float32Array[], precisions: readonly Precision[]) {
  const out = new Map<Precision, Uint8Array>();
  for (const precision of precisions) {
    const calibration = { images, method, ort: ortNode as unknown as OrtModule }; // native: faster, same ranges
    const contract = defaultContract2d({ size: net.size });
    out.set(precision, await exportOnnx(net.arch, net.weights, { contract, precision, calibration }));
  }
  return out;
}
const images = source === trained ? acdcImages! : phantomImages;
const models = await exportAll(source, images, PRECISIONS);
const dir = mkdtempSync(join(tmpdir(), "bcpseg-bench-onnx-"));
const files = PRECISIONS.map((p) => join(dir, `${p}.onnx`));
PRECISIONS.forEach((p, i) => {
  writeFileSync(files[i], models.get(p)!);
});

const samples = new Map<string, number[][]>();
const osThreads = new Map<string, number>();
const worker = join(import.meta.dirname, "latency-worker.ts");
try {
  for (let r = 0; r < Number(args.rounds); r++) {
    for (const [runtime, threads] of RUNTIMES) {
      const argv = [...process.execArgv, worker, runtime, String(threads), args.iters, ...files];
      const out = spawnSync(process.execPath, argv, { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`latency worker ${runtime}/${threads} failed:\n${out.stderr}`);
      const res = JSON.parse(out.stdout.trim().split("\n").pop()!) as { ms: number[][]; osThreads: number };
      const key = `${runtime}-${threads}`;
      const acc = samples.get(key) ?? PRECISIONS.map(() => []);
      res.ms.forEach((m, k) => {
        acc[k].push(...m);
      });
      samples.set(key, acc);
      osThreads.set(key, res.osThreads);
      console.error(`round ${r + 1}: ${key} done`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : Number.NaN);
const fp32Size = models.get("fp32")!.length;
const latency = Object.fromEntries(
  [...samples].map(([key, acc]) => [key, Object.fromEntries(PRECISIONS.map((p, k) => [p, median(acc[k])]))]),
);
const heading = `## bench/onnx — ${machineLine()}`;
console.log(`\n${heading}\n\nlatency net: U-Net width ${source.arch.width}, ${source.description}`);
const calibrated = source === trained ? "ACDC training slices" : "phantom slices";
console.log(`int8-static calibration: ${images.length} ${calibrated}, ${method}`);
console.log(`latency: median ms of ${Number(args.rounds) * Number(args.iters)} runs per cell (1x1x256x256)\n`);
const table = printTable(
  ["precision", "size KiB", "size / fp32", ...RUNTIMES.map(([r, t]) => `ort-${r} ${t}T ms`)],
  PRECISIONS.map((p) => [
    p,
    models.get(p)!.length / 1024,
    (models.get(p)!.length / fp32Size).toFixed(3),
    ...RUNTIMES.map(([r, t]) => latency[`${r}-${t}`]?.[p] ?? Number.NaN),
  ]),
);
console.log(`\nOS threads per worker process: ${[...osThreads].map(([k, v]) => `${k} ${v}`).join(", ")}`);

let dice: Awaited<ReturnType<typeof acdcDice>> | undefined;
let diceNote = "";
let diceSizes = "";
if (!trained) diceNote = "skipped: no checkpoint in runs/acdc-bcp yet (random weights have no meaningful Dice)";
else if (args["no-dice"]) diceNote = "skipped: --no-dice";
else {
  const pair = source === trained ? models : await exportAll(trained, acdcImages!, ["fp32", "int8-static"]);
  const [fp32, int8] = [pair.get("fp32")!, pair.get("int8-static")!];
  diceSizes = `${(fp32.length / 1024).toFixed(0)} KiB fp32, ${(int8.length / 1024).toFixed(0)} KiB int8-static`;
  dice = await acdcDice([fp32, int8], trained.size, trained.arch.numClasses, acdcRoot);
  console.log(`\nACDC validation Dice — ${trained.description}, U-Net width ${trained.arch.width} (${diceSizes});`);
  const at = trained.size.join("x");
  console.log(`${dice[0].cases} volumes, slice protocol at ${at}, onnxruntime-node; int8-static calibrated on`);
  console.log(`${acdcImages!.length} ACDC training slices (${method}):\n`);
  printTable(
    ["precision", ...dice[0].perClass.map((_, k) => `Dice class ${k + 1}`), "mean Dice", "voxels = fp32"],
    dice.map((d, m) => [
      m === 0 ? "fp32" : "int8-static",
      ...d.perClass.map((x) => x.toFixed(4)),
      d.mean.toFixed(4),
      `${(100 * d.agreement).toFixed(3)}%`,
    ]),
  );
  diceNote = `int8-static − fp32 = ${(100 * (dice[1].mean - dice[0].mean)).toFixed(2)} Dice points`;
}
if (diceNote) console.log(`\nDice: ${diceNote}`);

const int8 = models.get("int8-static")!.length / fp32Size;
const faster = ([1, 2] as const).map((t) => latency[`web-${t}`]?.["int8-static"] < latency[`web-${t}`]?.fp32);
console.log("\nTargets:");
console.log(`- int8 static ≤ 0.3x fp32 size: ${int8.toFixed(3)}x — ${int8 <= 0.3 ? "met" : "NOT met"}`);
const yes = (b: boolean) => (b ? "yes" : "NO");
const speed = Number(args.rounds) === 0 ? "not measured (--rounds 0)" : `1T ${yes(faster[0])}, 2T ${yes(faster[1])}`;
console.log(`- int8 static faster than fp32 on onnxruntime-web: ${speed}`);
if (dice) {
  const d = Math.abs(100 * (dice[1].mean - dice[0].mean));
  console.log(`- within 0.5 Dice points of fp32: ${d.toFixed(2)} — ${d <= 0.5 ? "met" : "NOT met"}`);
} else console.log(`- within 0.5 Dice points of fp32: not measured — ${diceNote}`);
console.error(`bench/onnx: ${((performance.now() - started) / 1000).toFixed(0)} s`);

if (args.json) {
  const sizes = Object.fromEntries(PRECISIONS.map((p) => [p, models.get(p)!.length]));
  const json = {
    machine: machineLine(),
    latencyNet: { arch: source.arch, weights: source.description, sizes, latency, table },
    diceNet: trained && { arch: trained.arch, weights: trained.description, sizes: diceSizes, dice },
  };
  writeFileSync(args.json, `${JSON.stringify(json, null, 2)}\n`);
}
