// Edge API under sustained load: the Node entry (spawned, one process, `limits.concurrency` 1 = one worker
// thread) on onnxruntime-node and on onnxruntime-web, loaded with autocannon for `--seconds` at each concurrency
// (default 8, 64, 256) with a 256x256 PNG → label PNG. Per phase: 200 req/s, p50/p99 of the 200s, 503s (shed),
// other errors, /healthz p50/p99 polled every 50 ms during the load, and the server's RSS every 5 s. Cold start:
// spawn → first answer, per runtime.
// Run: npm run bench:edge-load -- [--seconds 60] [--conc 8,64,256] [--runtimes node,web] [--cold 3]
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { encodePng } from "@bcpseg/core";
import autocannon from "autocannon";
import { machineLine, printTable } from "../lib/table.ts";

const root = join(import.meta.dirname, "../..");
const MODEL = join(root, "packages/edge-api/test/fixtures/unet2d-256-int8.onnx");
const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(flag("seconds", "60"));
const CONC = flag("conc", "8,64,256").split(",").map(Number);
const RUNTIMES = flag("runtimes", "node,web").split(",") as Array<"node" | "web">;
const colds = Number(flag("cold", "3"));

const pct = (xs: readonly number[], p: number) =>
  xs.length === 0
    ? Number.NaN
    : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

function inputPng(): Uint8Array {
  const d = new Uint8Array(256 * 256);
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) d[y * 256 + x] = Math.hypot(y - 128, x - 110) < 40 ? 220 : 40 + (x >> 2);
  return encodePng({ data: d, width: 256, height: 256, channels: 1, bitDepth: 8 });
}

/** Spawns the Node entry on `runtime`; ms from spawn to the first segmentation answered. */
async function spawnServer(runtime: string, png: Uint8Array) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ["--conditions=@bcpseg/source", "--import", "tsx", "packages/edge-api/src/runtimes/node.ts"],
    {
      cwd: root,
      env: { ...process.env, BCPSEG_MODELS: MODEL, PORT: "0", BCPSEG_RUNTIME: runtime },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const { port, ort } = await new Promise<{ port: number; ort: string }>((resolve, reject) => {
    let buf = "";
    child.on("exit", (code) => reject(new Error(`node entry exited with ${code}`)));
    child.stdout?.on("data", (d) => {
      buf += d;
      const line = buf.split("\n").find((l) => l.includes('"listening"'));
      if (line) resolve(JSON.parse(line));
    });
  });
  child.stdout?.resume();
  const r = await fetch(`http://127.0.0.1:${port}/v1/segment?format=png`, {
    method: "POST",
    body: png as Uint8Array<ArrayBuffer>,
    headers: { "content-type": "image/png" },
  });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`first request answered ${r.status}`);
  if (ort !== runtime) throw new Error(`asked for onnxruntime-${runtime}, the server runs ${ort}`);
  return { ms: performance.now() - t0, port, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}

/** The child's resident set in MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function phase(port: number, pid: number, png: Uint8Array, connections: number) {
  const ok: number[] = [];
  const statuses = new Map<number, number>();
  const health: number[] = [];
  const rss: number[] = [rssMiB(pid)];
  let running = true;
  const poller = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        await r.arrayBuffer();
        health.push(r.status === 200 ? performance.now() - t : Number.POSITIVE_INFINITY);
      } catch {
        health.push(Number.POSITIVE_INFINITY);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const sampler = setInterval(() => rss.push(rssMiB(pid)), 5000);
  const result = await new Promise<{ errors: number }>((resolve, reject) => {
    const inst = autocannon(
      {
        url: `http://127.0.0.1:${port}/v1/segment?format=png`,
        method: "POST",
        body: Buffer.from(png),
        headers: { "content-type": "image/png" },
        connections,
        duration: seconds,
      },
      (err, r) => (err ? reject(err) : resolve({ errors: r.errors })),
    );
    inst.on("response", (_c, status, _b, ms) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) ok.push(ms);
    });
  });
  running = false;
  clearInterval(sampler);
  await poller;
  rss.push(rssMiB(pid));
  const shed = statuses.get(503) ?? 0;
  const other = [...statuses].filter(([s]) => s !== 200 && s !== 503).reduce((n, [, k]) => n + k, 0);
  return { ok, shed, errors: other + result.errors, statuses, health, rss };
}

const png = inputPng();
const load0 = loadavg();
const rows: (string | number)[][] = [];
const rssRows: (string | number)[][] = [];
const coldRows: (string | number)[][] = [];
for (const runtime of RUNTIMES) {
  const cold: number[] = [];
  for (let i = 0; i < colds; i++) {
    const s = await spawnServer(runtime, png);
    cold.push(s.ms);
    await stop(s.child);
  }
  coldRows.push([
    `onnxruntime-${runtime}`,
    `${pct(cold, 50).toFixed(0)} ms`,
    `${Math.min(...cold).toFixed(0)}–${Math.max(...cold).toFixed(0)} ms`,
  ]);
  const server = await spawnServer(runtime, png);
  const pid = server.child.pid as number;
  try {
    for (const c of CONC) {
      const p = await phase(server.port, pid, png, c);
      const fin = p.health.filter(Number.isFinite);
      rows.push([
        `onnxruntime-${runtime}`,
        c,
        p.ok.length / seconds,
        pct(p.ok, 50),
        pct(p.ok, 99),
        p.shed,
        p.errors,
        pct(fin, 50),
        pct(fin, 99),
        p.health.length - fin.length,
      ]);
      const warm = p.rss.slice(1);
      const spread = ((Math.max(...warm) - Math.min(...warm)) / Math.min(...warm)) * 100;
      rssRows.push([`onnxruntime-${runtime}`, c, p.rss.map((x) => x.toFixed(0)).join(" "), `${spread.toFixed(1)}%`]);
      console.error(`${runtime} c=${c}: ${[...p.statuses].map(([s, k]) => `${s}×${k}`).join(" ")}`);
    }
  } finally {
    await stop(server.child);
  }
}

console.log(
  `\nbench/edge/load · ${machineLine()} · load average ${load0.map((x) => x.toFixed(1)).join(" ")} → ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
console.log(
  `unet2d-256-int8 (width 0.25), 256x256 PNG (${png.length} B) → label PNG · one server process, limits.concurrency 1 (one worker thread), queue 16 · autocannon ${seconds} s per row\n`,
);
printTable(
  [
    "runtime",
    "conc.",
    "200/s",
    "p50 ms",
    "p99 ms",
    "503 (shed)",
    "other errors",
    "/healthz p50 ms",
    "/healthz p99 ms",
    "/healthz failed",
  ],
  rows,
);
console.log("\nServer RSS (MiB) at the start, every 5 s, and at the end of each row; spread after the first sample:\n");
printTable(["runtime", "conc.", "RSS MiB", "spread"], rssRows);
console.log(`\nCold start, spawn → first answer (${colds} spawns, 5 warm-up runs at open):\n`);
printTable(["runtime", "median", "range"], coldRows);
