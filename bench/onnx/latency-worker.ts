// One latency measurement of bench/onnx in its own process (onnxruntime-web reads numThreads once, when its wasm
// starts): loads every model file given, warms each up, then runs them in turn `iters` times and prints the
// milliseconds of each run as JSON. Usage: latency-worker.ts <web|node> <threads> <iters> <model.onnx>...

import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";

const [runtime, threadArg, iterArg, ...files] = process.argv.slice(2);
const threads = Number(threadArg);
const iters = Number(iterArg);
type Session = { run(feeds: Record<string, unknown>): Promise<unknown>; release(): Promise<void> };

const ort = runtime === "web" ? await import("onnxruntime-web") : await import("onnxruntime-node");
if (runtime === "web") (ort as typeof import("onnxruntime-web")).env.wasm.numThreads = threads;
const options = runtime === "node" ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
const sessions: Session[] = [];
for (const f of files) sessions.push((await ort.InferenceSession.create(await readFile(f), options)) as Session);

const rng = (() => {
  let s = 12345;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
})();
const input = new ort.Tensor("float32", Float32Array.from({ length: 256 * 256 }, rng), [1, 1, 256, 256]);
const feeds = { input };
for (const s of sessions) for (let w = 0; w < 2; w++) await s.run(feeds);
const ms: number[][] = sessions.map(() => []);
for (let i = 0; i < iters; i++) {
  for (let k = 0; k < sessions.length; k++) {
    const t0 = performance.now();
    await sessions[k].run(feeds);
    ms[k].push(performance.now() - t0);
  }
}
const osThreads = readdirSync("/proc/self/task").length;
for (const s of sessions) await s.release();
console.log(JSON.stringify({ runtime, threads, ms, osThreads }));
