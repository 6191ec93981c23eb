// Edge API under sustained load: the Node entry (spawned, one process, `limits.concurrency` 1 = one worker
// thread) on onnxruntime-node and on onnxruntime-web, loaded with autocannon for `--seconds` at each concurrency
// (default 8, 64, 256) with a 256x256 PNG → label PNG. Per phase: 200 req/s, p50/p99 of the 200s, 503s (shed),
// other errors, /healthz p50/p99 polled every 50 ms during the load from a process of its own (poll-health.ts;
// autocannon saturates this one's event loop), the server's RSS every 5 s, and the load average. Cold start:
// spawn → first answer, per runtime, from the sources (tsx) and from the built dist/ (`npm run build` first).
// Run: npm run bench:edge-load -- [--seconds 60] [--conc 8,64,256] [--runtimes node,web] [--cold 3] [--entry src|dist]
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
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
// The entry the load rows run: the sources through tsx (default) or the built JavaScript.
const ENTRY = flag("entry", "src") as "src" | "dist";
const DIST = join(root, "packages/edge-api/dist/runtimes/node.js");
const entryArgs = (entry: "src" | "dist") =>
  entry === "dist"
    ? [DIST]
    : ["--conditions=@bcpseg/source", "--import", "tsx", "packages/edge-api/src/runtimes/node.ts"];
const load1 = () => loadavg()[0].toFixed(1);
const LOG = join(tmpdir(), `bcpseg-edge-load-${process.pid}.log`);
const logFd = openSync(LOG, "w");

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
async function spawnServer(runtime: string, png: Uint8Array, entry: "src" | "dist" = ENTRY, warmup?: number) {
  const t0 = performance.now();
  const child = spawn(process.execPath, entryArgs(entry), {
    cwd: root,
    env: {
      ...process.env,
      BCPSEG_MODELS: MODEL,
      PORT: "0",
      BCPSEG_RUNTIME: runtime,
      ...(warmup === undefined ? {} : { BCPSEG_WARMUP: String(warmup) }),
    },
    // The server's log (a line per request, on stderr) goes to a file: a pipe to this busy process would fill,
    // and a process writing to a full pipe blocks (stderr pipes are synchronous on Linux).
    stdio: ["ignore", "pipe", logFd],
  });
  const log = () => readFileSync(LOG, "utf8").slice(-4000);
  const { port, ort } = await new Promise<{ port: number; ort: string }>((resolve, reject) => {
    let buf = "";
    child.on("exit", (code) => reject(new Error(`node entry exited with ${code}: ${log()}`)));
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

/** Starts the /healthz poller process; `stop()` resolves with its latencies (a failure as Infinity). */
function pollHealth(port: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "poll-health.ts"), `http://127.0.0.1:${port}/healthz`],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  let out = "";
  let ready: () => void = () => {};
  const connected = new Promise<void>((r) => {
    ready = r;
  });
  child.stdout?.on("data", (d) => {
    out += d;
    if (out.startsWith("ready\n")) ready();
  });
  const done = new Promise<number[]>((resolve) =>
    child.once("exit", () =>
      resolve((JSON.parse(out.slice(6) || "[]") as number[]).map((x) => (x < 0 ? Number.POSITIVE_INFINITY : x))),
    ),
  );
  return {
    connected,
    stop: () => {
      child.stdin?.end();
      return done;
    },
  };
}

async function phase(port: number, pid: number, png: Uint8Array, connections: number) {
  const ok: number[] = [];
  const statuses = new Map<number, number>();
  const rss: number[] = [rssMiB(pid)];
  // The poller's connection is open before the load starts, as a load balancer's is: a connection opened
  // during the first second of a 256-connection storm waited 3-6 s to be served (measured with curl).
  const poller = pollHealth(port);
  await poller.connected;
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
  clearInterval(sampler);
  const health = await poller.stop();
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
  const entries = existsSync(DIST) ? (["src", "dist"] as const) : (["src"] as const);
  for (const entry of entries) {
    for (const warmup of [undefined, 0]) {
      const cold: number[] = [];
      const l0 = load1();
      for (let i = 0; i < colds; i++) {
        const s = await spawnServer(runtime, png, entry, warmup);
        cold.push(s.ms);
        await stop(s.child);
      }
      coldRows.push([
        `onnxruntime-${runtime}`,
        entry === "src" ? "src/ (tsx)" : "dist/",
        warmup === undefined ? "5 (default)" : String(warmup),
        `${pct(cold, 50).toFixed(0)} ms`,
        `${Math.min(...cold).toFixed(0)}–${Math.max(...cold).toFixed(0)} ms`,
        `${l0} → ${load1()}`,
      ]);
    }
  }
  const server = await spawnServer(runtime, png);
  const pid = server.child.pid as number;
  try {
    for (const c of CONC) {
      const l0 = load1();
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
        `${l0} → ${load1()}`,
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
  `unet2d-256-int8 (width 0.25), 256x256 PNG (${png.length} B) → label PNG · one server process (${ENTRY === "src" ? "src/ through tsx" : "dist/"}), limits.concurrency 1 (one worker thread), queue 16 · autocannon ${seconds} s per row\n`,
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
    "load 1 min",
  ],
  rows,
);
console.log("\nServer RSS (MiB) at the start, every 5 s, and at the end of each row; spread after the first sample:\n");
printTable(["runtime", "conc.", "RSS MiB", "spread"], rssRows);
console.log(`\nCold start, spawn → first answer (${colds} spawns each):\n`);
printTable(["runtime", "entry", "warm-up runs", "median", "range", "load 1 min"], coldRows);
