// Edge API benchmark: requests/s and p50/p99 latency on loopback (autocannon) for a 256x256 int8 model at
// concurrency 1/4/16, beside the bare onnxruntime session.run time in the same run, and cold start.
// Run: node --conditions=@bcpseg/source --import tsx bench/edge/run.ts [--seconds 5]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodePng } from "@bcpseg/core";
import * as ort from "onnxruntime-web/wasm";
import { machineLine, printTable } from "../lib/table.ts";

const root = join(import.meta.dirname, "../..");
const MODEL = join(root, "packages/edge-api/test/fixtures/unet2d-256-int8.onnx");
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 5;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** A 256x256 gray PNG like a cardiac slice (smooth background and a bright disc). */
async function inputPng(): Promise<Uint8Array> {
  const d = new Uint8Array(256 * 256);
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) d[y * 256 + x] = Math.hypot(y - 128, x - 110) < 40 ? 220 : 40 + (x >> 2);
  return encodePng({ data: d, width: 256, height: 256, channels: 1, bitDepth: 8 });
}

/** Bare session.run on a preprocessed 256x256 input (same wasm build and thread count as the server). */
async function bareRun(iters: number): Promise<{ p50: number; p99: number }> {
  ort.env.wasm.numThreads = 1;
  const s = await ort.InferenceSession.create(readFileSync(MODEL), {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  });
  const x = Float32Array.from({ length: 256 * 256 }, (_, i) => (i % 256) / 255);
  const times: number[] = [];
  for (let i = 0; i < iters + 5; i++) {
    const t = new ort.Tensor("float32", x, [1, 1, 256, 256]);
    const t0 = performance.now();
    const out = await s.run({ input: t });
    if (i >= 5) times.push(performance.now() - t0);
    t.dispose();
    for (const o of Object.values(out)) o.dispose();
  }
  await s.release();
  return { p50: pct(times, 50), p99: pct(times, 99) };
}

/** Spawns the Node entry; ms from spawn to "listening" and to the first segmentation answered. */
async function coldStart(png: Uint8Array): Promise<{ listen: number; first: number; port: number; stop: () => void }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ["--conditions=@bcpseg/source", "--import", "tsx", "packages/edge-api/src/runtimes/node.ts"],
    {
      cwd: root,
      env: { ...process.env, BCPSEG_MODELS: MODEL, PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const port = await new Promise<number>((resolve) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      const line = buf.split("\n").find((l) => l.includes('"listening"'));
      if (line) resolve(JSON.parse(line).port);
    });
  });
  child.stdout.resume();
  const listen = performance.now() - t0;
  const r = await fetch(`http://127.0.0.1:${port}/v1/segment?format=png`, {
    method: "POST",
    body: png,
    headers: { "content-type": "image/png" },
  });
  await r.arrayBuffer();
  return { listen, first: performance.now() - t0, port, stop: () => child.kill("SIGTERM") };
}

type Load = { rps: number; p50: number; p99: number; errors: number; tool: string };

/** autocannon when installed, else a fetch loop with the same shape (N connections, fixed duration). */
async function load(url: string, body: Uint8Array, connections: number): Promise<Load> {
  const headers = { "content-type": "image/png" };
  try {
    const { default: autocannon } = await import("autocannon" as string);
    const r = await autocannon({
      url,
      method: "POST",
      body: Buffer.from(body),
      headers,
      connections,
      duration: seconds,
    });
    return {
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx,
      tool: "autocannon",
    };
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw e;
  }
  const lat: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const r = await fetch(url, { method: "POST", body, headers });
        await r.arrayBuffer();
        if (r.status !== 200) errors++;
        lat.push(performance.now() - t0);
      }
    }),
  );
  return { rps: lat.length / seconds, p50: pct(lat, 50), p99: pct(lat, 99), errors, tool: "fetch loop" };
}

const png = await inputPng();
const cold = await coldStart(png);
const url = `http://127.0.0.1:${cold.port}/v1/segment?format=png`;
const rows: (string | number)[][] = [];
try {
  const bare = await bareRun(50);
  for (const c of [1, 4, 16]) {
    const r = await load(url, png, c);
    rows.push([
      c,
      r.tool,
      r.rps,
      r.p50,
      r.p99,
      bare.p50,
      bare.p99,
      `${(((r.p50 / Math.max(1, c) - bare.p50) / bare.p50) * 100).toFixed(0)}%`,
      r.errors,
    ]);
  }
  console.log(
    `\nbench/edge · ${machineLine()} · unet2d-256-int8 (width 0.25, 256x256 PNG in, label PNG out) · ${seconds}s per row`,
  );
  console.log(
    `cold start (spawn node entry → listening): ${cold.listen.toFixed(0)} ms; → first segmentation answered: ${cold.first.toFixed(0)} ms\n`,
  );
  printTable(
    [
      "conc.",
      "load tool",
      "req/s",
      "p50 ms",
      "p99 ms",
      "bare run p50",
      "bare run p99",
      "overhead p50/conc. vs bare",
      "errors",
    ],
    rows,
  );
  console.log(
    "\nconcurrency limit 1 (one wasm thread): at c > 1 requests queue, so latency grows with c; the overhead column divides p50 by c.",
  );
} finally {
  cold.stop();
}
