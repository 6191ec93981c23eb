// One 3x3 conv layer (batch 4, C → C channels) on onnxruntime-node's CPU EP in each formulation the training graphs
// can use, beside PyTorch's forward / input gradient / weight gradient of the same layer, in one run.
// Prints median wall ms (with --threads intra-op threads / torch threads) and median CPU ms (user + system).
//   node --conditions=@bcpseg/source --import tsx bench/ort-layers.ts [--threads 1] [--runs 15]
//        [--layers 16@128,32@64,64@32,256@8] [--python /usr/bin/python3]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { serialize } from "../src/ort/net-graphs.ts";
import { type Sym, Tape } from "../src/ort/tape.ts";
import { conv, convInputGrad, convWeightGrad, type LowerOptions } from "../src/ort/train-ops.ts";

const { values } = parseArgs({
  options: {
    threads: { type: "string", default: "1" },
    runs: { type: "string", default: "15" },
    layers: { type: "string", default: "16@128,32@64,64@32,256@8" },
    python: { type: "string", default: "/usr/bin/python3" },
  },
});
const threads = Number(values.threads);
const runs = Number(values.runs);
const batch = 4;

/** A graph with inputs x, w, b, dy: the forward conv, or the input / weight gradient in a formulation. */
function graph(part: "fwd" | "dx" | "dw", c: number, s: number, lower: LowerOptions): Uint8Array {
  const t = new Tape();
  const x = t.input("x", [batch, c, s, s]);
  const w = t.input("w", [c, c, 3, 3]);
  const b = t.input("b", [c]);
  const dy: Sym = t.input("dy", [batch, c, s, s]);
  // Only the timed part is in the graph (onnxruntime runs every node, needed or not).
  const out =
    part === "fwd"
      ? conv(t, x, w, b, 1, lower)
      : part === "dx"
        ? convInputGrad(t, dy, w, x.shape, 1, 1, lower)
        : convWeightGrad(t, x, dy, [3, 3], 1, 1, lower);
  t.output(out, "out");
  return serialize(t, part);
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];

async function time(bytes: Uint8Array, feeds: Record<string, ort.Tensor>) {
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  const inputs = Object.fromEntries(session.inputNames.map((n) => [n, feeds[n]]));
  await session.run(inputs);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await session.run(inputs);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  await session.release();
  return `${median(wall).toFixed(1)} / ${median(cpu).toFixed(1)}`;
}

const TORCH = `
import json, sys, time, torch
torch.set_num_threads(${threads})
out = {}
for spec in sys.argv[1].split(","):
    c, s = map(int, spec.split("@"))
    conv = torch.nn.Conv2d(c, c, 3, padding=1)
    x = torch.randn(${batch}, c, s, s, requires_grad=True)
    dy = torch.randn(${batch}, c, s, s)
    def run(f):
        f()
        wall, cpu = [], []
        for _ in range(${runs}):
            t0, c0 = time.perf_counter(), time.process_time()
            f()
            wall.append((time.perf_counter() - t0) * 1000); cpu.append((time.process_time() - c0) * 1000)
        return "%.1f / %.1f" % (sorted(wall)[len(wall) // 2], sorted(cpu)[len(cpu) // 2])
    def fwd():
        with torch.no_grad(): conv(x)
    y = conv(x)
    def dx(): torch.autograd.grad(y, x, dy, retain_graph=True)
    def dw(): torch.autograd.grad(y, conv.weight, dy, retain_graph=True)
    out[spec] = [run(fwd), run(dx), run(dw)]
print(json.dumps(out))
`;

const torch = spawnSync(values.python, ["-c", TORCH, values.layers], { encoding: "utf8" });
const torchTimes: Record<string, string[]> =
  torch.status === 0 ? JSON.parse(torch.stdout) : Object.fromEntries(values.layers.split(",").map((l) => [l, []]));
if (torch.status !== 0) console.error(`PyTorch not measured: ${torch.stderr.split("\n").slice(-2).join(" ")}`);

const head = [
  "layer",
  "torch fwd",
  "torch dX",
  "torch dW",
  "ort fwd",
  "ort dX flipped Conv",
  "ort dX ConvTranspose",
  "ort dW Slice+Concat+Gemm",
  "ort dW per-shift Gemm",
  "ort dW depthwise+MatMul",
  "ort dW split-shift Slice+Pad+MatMul",
  "ort dW split-shift depthwise+MatMul",
  "ort dW split-shift depthwise+Pad+MatMul",
];
console.log(`wall ms / CPU ms, median of ${runs}, ${threads} thread(s), batch ${batch}, 3x3 C → C\n`);
console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
for (const spec of values.layers.split(",")) {
  const [c, s] = spec.split("@").map(Number);
  const n = batch * c * s * s;
  const rand = (len: number, k: number) => Float32Array.from({ length: len }, (_, i) => Math.sin(i * 12.9898) * k);
  const feeds = {
    x: new ort.Tensor("float32", rand(n, 1), [batch, c, s, s]),
    w: new ort.Tensor("float32", rand(c * c * 9, 0.1), [c, c, 3, 3]),
    b: new ort.Tensor("float32", rand(c, 0.1), [c]),
    dy: new ort.Tensor("float32", rand(n, 1), [batch, c, s, s]),
  };
  const row = [`${c} ch at ${s}x${s}`, ...(torchTimes[spec] ?? ["-", "-", "-"])];
  row.push(await time(graph("fwd", c, s, {}), feeds));
  row.push(await time(graph("dx", c, s, { inputGrad: "conv" }), feeds));
  row.push(await time(graph("dx", c, s, { inputGrad: "conv-transpose" }), feeds));
  for (const weightGrad of [
    "gemm",
    "gemm-per-shift",
    "depthwise",
    "split-shift",
    "split-shift-conv",
    "split-shift-pads",
  ] as const) {
    row.push(await time(graph("dw", c, s, { weightGrad }), feeds));
  }
  console.log(`| ${row.join(" | ")} |`);
}
