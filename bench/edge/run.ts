// Edge API benchmark: requests/s and p50/p99 latency with autocannon on loopback against the Node entry
// (src/runtimes/node.ts → startNode) for a 256x256 int8 model at concurrency 1/4/16, beside the bare
// onnxruntime session.run time measured in the same run (phases alternate: bare, load, bare, load...), the
// codec stages in-process, and cold start (spawn → listening → first segmentation) with and without warm-up.
// The target (HTTP + preprocessing under 10% of bare inference at p50) is read off the paired c = 1 lines: one for
// the fixture model (width 0.25) and one for the reference student, the official width-1 U-Net int8 static at
// 256x256 exported at start through the trainer's exporter (random weights; cached, see reference-student.ts).
// Run: npm run bench:edge -- [--runtime node|web] [--seconds 5] [--rounds 2] [--cold 2] [--pairs 200] [--student-pairs 40]
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadavg } from "node:os";
import { join } from "node:path";
import { argmaxChannels, decodePng, encodePng, pngToGray, preprocess } from "@bcpseg/core";
import { readModelInfo } from "@bcpseg/edge-api";
import autocannon from "autocannon";
import * as ortWeb from "onnxruntime-web/wasm";
import { machineLine, printTable } from "../lib/table.ts";
import { referenceStudent } from "./reference-student.ts";

const root = join(import.meta.dirname, "../..");
const MODEL = join(root, "packages/edge-api/test/fixtures/unet2d-256-int8.onnx");
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg("seconds", 5);
// --runtime node|web: the onnxruntime of both the server's worker (BCPSEG_RUNTIME) and the bare session here.
const runtime = process.argv.includes("--runtime") ? process.argv[process.argv.indexOf("--runtime") + 1] : "node";
if (runtime !== "node" && runtime !== "web") throw new Error(`--runtime node|web, got ${runtime}`);
const ort = (runtime === "node" ? await import("onnxruntime-node") : ortWeb) as typeof ortWeb;
const rounds = arg("rounds", 2);
const colds = arg("cold", 2);
const CONCURRENCY = [1, 4, 16];

const pct = (xs: readonly number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const median = (xs: readonly number[]) => pct(xs, 50);

/** A 256x256 gray PNG like a cardiac slice (smooth background and a bright disc). */
function inputPng(): Uint8Array {
  const d = new Uint8Array(256 * 256);
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) d[y * 256 + x] = Math.hypot(y - 128, x - 110) < 40 ? 220 : 40 + (x >> 2);
  return encodePng({ data: d, width: 256, height: 256, channels: 1, bitDepth: 8 });
}

/** Spawns the Node entry; ms from spawn to "listening" and from then to the first segmentation answered. */
async function spawnServer(png: Uint8Array, warmup: boolean, model = MODEL) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ["--conditions=@bcpseg/source", "--import", "tsx", "packages/edge-api/src/runtimes/node.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        BCPSEG_MODELS: model,
        PORT: "0",
        BCPSEG_RUNTIME: runtime,
        ...(warmup ? {} : { BCPSEG_WARMUP: "0" }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    child.on("exit", (code) => reject(new Error(`node entry exited with ${code}`)));
    child.stdout?.on("data", (d) => {
      buf += d;
      const line = buf.split("\n").find((l) => l.includes('"listening"'));
      if (line) resolve(JSON.parse(line).port);
    });
  });
  child.stdout?.resume(); // request log lines are not read
  const listen = performance.now() - t0;
  const t1 = performance.now();
  const r = await fetch(`http://127.0.0.1:${port}/v1/segment?format=png`, {
    method: "POST",
    body: png as Uint8Array<ArrayBuffer>,
    headers: { "content-type": "image/png" },
  });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`first request answered ${r.status}`);
  const first = performance.now() - t1;
  return { listen, first, total: performance.now() - t0, port, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}

/** Per-request latencies (ms) of autocannon at `connections` for `seconds`. */
function load(url: string, body: Uint8Array, connections: number) {
  return new Promise<{ lat: number[]; rps: number; errors: number }>((resolve, reject) => {
    const lat: number[] = [];
    const inst = autocannon(
      {
        url,
        method: "POST",
        body: Buffer.from(body),
        headers: { "content-type": "image/png" },
        connections,
        duration: seconds,
      },
      (err, r) => (err ? reject(err) : resolve({ lat, rps: r.requests.total / seconds, errors: r.errors + r.non2xx })),
    );
    inst.on("response", (_client, _status, _bytes, ms) => lat.push(ms));
  });
}

/** Bare session.run on the request's own preprocessed input for about `ms` milliseconds. */
async function bare(session: ortWeb.InferenceSession, input: Float32Array, ms: number): Promise<number[]> {
  const times: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end || times.length < (ms > 0 ? 5 : 1)) {
    const t = new ort.Tensor("float32", input, [1, 1, 256, 256]);
    const t0 = performance.now();
    const out = await session.run({ [session.inputNames[0]]: t });
    times.push(performance.now() - t0);
    t.dispose();
    for (const o of Object.values(out)) o.dispose();
  }
  return times;
}

/** The server's own Server-Timing durations (ms) by name: `model` (session runs) and `app` (the handler). */
function timing(header: string | string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of String(header ?? "").matchAll(/([\w-]+);dur=([\d.]+)/g)) out[m[1]] = Number(m[2]);
  return out;
}

/** One POST on a keep-alive socket; resolves with the ms to the last byte of a 200 and the server's timings. */
function post(port: number, body: Uint8Array, agent: Agent): Promise<{ ms: number; server: Record<string, number> }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        host: "127.0.0.1",
        path: "/v1/segment?format=png",
        method: "POST",
        agent,
        headers: { "content-type": "image/png", "content-length": body.length },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200
            ? resolve({ ms: performance.now() - t0, server: timing(res.headers["server-timing"]) })
            : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Paired c = 1: one bare run, then one request, `pairs` times, so both see the same machine load (on a
 * shared machine the load drifts between phases of seconds). Returns the medians and the median difference;
 * with the server's Server-Timing also the request minus its own model time (no run-to-run or process-to-process
 * inference variance in it) and the part spent outside the handler (sockets, HTTP parsing, wake-ups).
 */
async function paired(
  session: ortWeb.InferenceSession,
  input: Float32Array,
  port: number,
  body: Uint8Array,
  pairs: number,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const http: number[] = [];
  const run: number[] = [];
  const diff: number[] = [];
  const own: number[] = [];
  const outside: number[] = [];
  for (let i = 0; i < pairs + 5; i++) {
    const b = (await bare(session, input, 0))[0];
    const h = await post(port, body, agent);
    if (i < 5) continue;
    run.push(b);
    http.push(h.ms);
    diff.push(h.ms - b);
    own.push(h.ms - h.server.model);
    outside.push(h.ms - h.server.app);
  }
  agent.destroy();
  return {
    pairs,
    http: median(http),
    bare: median(run),
    diff: median(diff),
    own: median(own),
    outside: median(outside),
  };
}

/** Median ms of the codec and pre/post-processing stages of one request, in-process. */
async function stages(png: Uint8Array, session: ortWeb.InferenceSession) {
  const contract = readModelInfo(readFileSync(MODEL)).contract;
  const t: Record<string, number[]> = { decode: [], preprocess: [], post: [], encode: [] };
  for (let i = 0; i < 30; i++) {
    let t0 = performance.now();
    const gray = pngToGray(decodePng(png));
    t.decode.push(performance.now() - t0);
    t0 = performance.now();
    const prep = preprocess(contract, { data: gray, shape: [256, 256] });
    t.preprocess.push(performance.now() - t0);
    const x = new ort.Tensor("float32", prep.input, [1, 1, 256, 256]);
    const out = await session.run({ [session.inputNames[0]]: x });
    const probs = out[session.outputNames[0]];
    t0 = performance.now();
    // As the server: argmax, to uint8, back to the image geometry.
    const labels = prep.restore(
      Uint8Array.from(argmaxChannels(probs.data as Float32Array, probs.dims as number[])),
    ).data;
    t.post.push(performance.now() - t0);
    t0 = performance.now();
    encodePng({ data: labels, width: 256, height: 256, channels: 1, bitDepth: 8 }, { filter: 0, level: 1 });
    t.encode.push(performance.now() - t0);
    x.dispose();
    for (const o of Object.values(out)) o.dispose();
  }
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v.slice(5))]));
}

const png = inputPng();
const studentPath = await referenceStudent((line) => console.error(line));
const load0 = loadavg();
const cold: Record<"off" | "on", { listen: number[]; first: number[]; total: number[] }> = {
  off: { listen: [], first: [], total: [] },
  on: { listen: [], first: [], total: [] },
};
for (let i = 0; i < colds; i++) {
  for (const mode of ["off", "on"] as const) {
    const s = await spawnServer(png, mode === "on");
    await stop(s.child);
    cold[mode].listen.push(s.listen);
    cold[mode].first.push(s.first);
    cold[mode].total.push(s.total);
  }
}

if (runtime === "web") ort.env.wasm.numThreads = 1; // as the server (createApp's default)
// As the server's worker (runtimes/node-session-worker.ts): one thread either way.
const openSession = (path: string) =>
  ort.InferenceSession.create(readFileSync(path), {
    executionProviders: [runtime === "node" ? "cpu" : "wasm"],
    graphOptimizationLevel: "all",
    ...(runtime === "node" ? { intraOpNumThreads: 1, interOpNumThreads: 1 } : {}),
  });
const session = await openSession(MODEL);
const contract = readModelInfo(readFileSync(MODEL)).contract;
const input = preprocess(contract, { data: pngToGray(decodePng(png)), shape: [256, 256] }).input;
const server = await spawnServer(png, true);
const url = `http://127.0.0.1:${server.port}/v1/segment?format=png`;
const pooled = new Map(
  CONCURRENCY.map((c) => [c, { lat: [] as number[], rps: [] as number[], errors: 0, bare: [] as number[] }]),
);
let stage: Record<string, number>;
let pair: Awaited<ReturnType<typeof paired>>;
try {
  await bare(session, input, 1000);
  await load(url, png, 1); // warms the server's JIT and sockets; not recorded
  for (let r = 0; r < rounds; r++) {
    for (const c of CONCURRENCY) {
      const p = pooled.get(c) as NonNullable<ReturnType<typeof pooled.get>>;
      p.bare.push(...(await bare(session, input, (seconds * 1000) / 2)));
      const l = await load(url, png, c);
      p.lat.push(...l.lat);
      p.rps.push(l.rps);
      p.errors += l.errors;
    }
  }
  pair = await paired(session, input, server.port, png, arg("pairs", 200));
  stage = await stages(png, session);
} finally {
  await stop(server.child);
  await session.release();
}

// The reference student: its own server and session, paired c = 1 only (a request takes a few hundred ms).
const studentSession = await openSession(studentPath);
const studentServer = await spawnServer(png, true, studentPath);
let studentPair: Awaited<ReturnType<typeof paired>>;
try {
  await bare(studentSession, input, 1000);
  const warm = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 3; i++) await post(studentServer.port, png, warm); // JIT and sockets
  warm.destroy();
  studentPair = await paired(studentSession, input, studentServer.port, png, arg("student-pairs", 40));
} finally {
  await stop(studentServer.child);
  await studentSession.release();
}

const rows = CONCURRENCY.map((c) => {
  const p = pooled.get(c) as NonNullable<ReturnType<typeof pooled.get>>;
  const rps = p.rps.reduce((a, b) => a + b, 0) / p.rps.length;
  const b50 = median(p.bare);
  // c = 1: a request's latency is its service time; c > 1 queues behind a concurrency limit of 1, so the
  // service time is 1000 / (req/s).
  const service = c === 1 ? median(p.lat) : 1000 / rps;
  return [
    c,
    rps,
    median(p.lat),
    pct(p.lat, 99),
    b50,
    pct(p.bare, 99),
    service,
    `${(((service - b50) / b50) * 100).toFixed(1)}%`,
    p.errors,
  ];
});
const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
console.log(
  `\nbench/edge · ${machineLine()} · load average ${load0.map((x) => x.toFixed(1)).join(" ")} → ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
console.log(
  `onnxruntime-${runtime} (server: one worker thread; bare: the same binding here) · unet2d-256-int8 (width 0.25), 256x256 PNG in (${png.length} B), label PNG out · autocannon ${seconds}s per phase × ${rounds} rounds, alternating with bare session.run\n`,
);
printTable(
  ["conc.", "req/s", "p50 ms", "p99 ms", "bare p50", "bare p99", "ms/request", "overhead vs bare p50", "errors"],
  rows,
);
console.log(
  "\nms/request: p50 latency at c = 1; 1000 / (req/s) at c > 1 (concurrency limit 1: requests queue, latency grows with c).",
);
console.log(
  "\npaired c = 1 (one bare session.run in this process, then one request to the server, n times): the target line\n",
);
const pairRow = (name: string, q: typeof pair) => [
  name,
  String(q.pairs),
  q.http,
  q.bare,
  q.diff,
  `${((q.diff / q.bare) * 100).toFixed(1)}%`,
  q.own,
  `${((q.own / q.bare) * 100).toFixed(1)}%`,
  q.outside,
];
printTable(
  [
    "model",
    "pairs",
    "request p50 ms",
    "bare p50 ms",
    "median(request − bare) ms",
    "overhead vs bare p50",
    "median(request − its model time) ms",
    "same vs bare p50",
    "outside the handler ms",
  ],
  [
    pairRow("unet2d-256-int8, width 0.25 (fixture)", pair),
    pairRow("unet2d-256, width 1, int8 static (reference student, random weights)", studentPair),
  ],
);
console.log(
  `\nin-process stages, fixture (median ms): decodePng+pngToGray ${stage.decode.toFixed(2)} · preprocess ${stage.preprocess.toFixed(2)} · argmax+restore ${stage.post.toFixed(2)} · encodePng ${stage.encode.toFixed(2)}\n`,
);
printTable(
  ["cold start (median of " + colds + ")", "spawn → listening", "first request", "spawn → first answer"],
  (["off", "on"] as const).map((m) => [
    m === "on" ? "warm-up runs at open (default, 5)" : "no warm-up (BCPSEG_WARMUP=0)",
    ms(cold[m].listen),
    ms(cold[m].first),
    ms(cold[m].total),
  ]),
);
