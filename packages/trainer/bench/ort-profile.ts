// Where one ort-cpu training step spends its time: onnxruntime's own per-node profile of the generated U-Net step
// graph (train-mode forward, supervised loss, gradients, SGD), summed by op type and listed by node.
// Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/ort-profile.ts [--size 128] [--batch 4] [--threads 2]
//        [--steps 5] [--top 25] [--arch vnet --size 112x112x80 --batch 2] (the LA V-Net, 2 classes)
import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRng } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import * as ort from "onnxruntime-node";
import { createUNet2d, createVNet3d } from "../src/models/index.ts";
import { IO, stepGraph } from "../src/ort/net-graphs.ts";
import { drawDropoutMask, NetState, tfShapeOf } from "../src/ort/ort-trainer.ts";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "128" },
    batch: { type: "string", default: "4" },
    threads: { type: "string", default: "2" },
    steps: { type: "string", default: "5" },
    top: { type: "string", default: "25" },
    arch: { type: "string", default: "unet" },
  },
});
const unet = values.arch !== "vnet";
const patch = values.size.includes("x")
  ? values.size.split("x").map(Number)
  : [Number(values.size), Number(values.size)];
const batch = Number(values.batch);
const steps = Number(values.steps);
const classes = unet ? 4 : 2;
const net = {
  arch: { kind: unet ? "unet2d" : "vnet3d", inChannels: 1, numClasses: classes, width: 1 } as const,
  dropout: unet ? [0.05, 0.1, 0.2, 0.3, 0.5] : [0.5],
};
const spec = {
  net,
  batch,
  patch,
  passes: [{ kind: "supervised" as const }],
  form: "per-sample" as const,
  legacyMaskBug: false,
  momentum: 0.9,
  weightDecay: 1e-4,
};
const graph = stepGraph(spec);
const prefix = join(tmpdir(), `bcpseg-ort-profile-${process.pid}`);
const session = await ort.InferenceSession.create(graph.bytes, {
  graphOptimizationLevel: "all",
  intraOpNumThreads: Number(values.threads),
  interOpNumThreads: 1,
  executionMode: "sequential",
  enableMemPattern: false, // as OrtTrainer
  extra: { session: { intra_op: { allow_spinning: "0" } } }, // as OrtTrainer
  enableProfiling: true,
  profileFilePrefix: prefix,
});
await tf.setBackend("cpu"); // the initial weights only
const model = unet ? createUNet2d({ width: 1, seed: 1 }) : createVNet3d({ width: 1, seed: 1, numClasses: classes });
const init = model.getWeights();
model.dispose();
const state = NetState.fromNamed(init, graph.trainable, graph.stats.keys(), (n) =>
  tfShapeOf(graph.trainable.get(n) ?? graph.stats.get(n) ?? []),
);
const rng = createRng(3);
const voxels = batch * patch.reduce((a, b) => a * b, 1);
const feeds: Record<string, ort.Tensor> = {};
for (const [name, shape] of graph.trainable) {
  feeds[IO.param(name)] = new ort.Tensor("float32", state.params.get(name) as Float32Array, [...shape]);
  feeds[IO.momentum(name)] = new ort.Tensor("float32", new Float32Array(shape.reduce((a, b) => a * b, 1)), [...shape]);
}
for (const [name, shape] of graph.stats) {
  feeds[IO.stat(name)] = new ort.Tensor("float32", state.stats.get(name) as Float32Array, [...shape]);
}
feeds[IO.lr] = new ort.Tensor("float32", Float32Array.of(0.01), []);
feeds[IO.image(0)] = new ort.Tensor(
  "float32",
  Float32Array.from({ length: voxels }, () => rng.normal()),
  [batch, 1, ...patch],
);
feeds[IO.target(0)] = new ort.Tensor(
  "int32",
  Int32Array.from({ length: voxels }, () => rng.nextUint32() % classes),
  [batch, ...patch],
);
for (const d of graph.dropouts) feeds[d.name] = new ort.Tensor("float32", drawDropoutMask(d, rng), [...d.shape]);

const wall: number[] = [];
for (let i = 0; i <= steps; i++) {
  const t0 = performance.now();
  await session.run(feeds);
  if (i > 0) wall.push(performance.now() - t0);
}
session.endProfiling();
// onnxruntime writes the profile as `<prefix>_<timestamp>.json`.
const base = `bcpseg-ort-profile-${process.pid}`;
const found = (await readdir(tmpdir())).find((f) => f.startsWith(base) && f.endsWith(".json"));
if (found === undefined) throw new Error(`no onnxruntime profile under ${tmpdir()}`);
const file = join(tmpdir(), found);
await session.release();
interface Event {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string };
}
const events: Event[] = JSON.parse(await readFile(file, "utf8"));
await rm(file, { force: true });
// Node events are "<node>_kernel_time"; the first run (warm-up) is dropped by dividing the totals over steps + 1.
const kernels = events.filter((e) => e.cat === "Node" && e.name.endsWith("_kernel_time"));
const byOp = new Map<string, number>();
const byNode = new Map<string, { op: string; us: number }>();
// Node names are "<op>:<role>~<n>" (tape.ts): the role says which rule emitted it (conv, dx, im2col, dwmm, gemm ...).
const byRole = new Map<string, number>();
for (const e of kernels) {
  const op = e.args?.op_name ?? "?";
  byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
  const node = e.name.replace(/_kernel_time$/, "");
  const role = node.replace(/~\d+$/, "");
  byRole.set(role, (byRole.get(role) ?? 0) + e.dur);
  const n = byNode.get(node) ?? { op, us: 0 };
  n.us += e.dur;
  byNode.set(node, n);
}
const runs = steps + 1;
const total = [...byOp.values()].reduce((a, b) => a + b, 0) / runs / 1000;
const med = [...wall].sort((a, b) => a - b)[wall.length >> 1];
console.log(
  `${unet ? "U-Net" : "V-Net"} ${patch.join("x")} batch ${batch}, ${values.threads} thread(s): step ${med.toFixed(0)} ms (median of ${steps}), kernels ${total.toFixed(0)} ms, ${byNode.size} nodes\n`,
);
console.log("| op | ms per step | share |\n|---|---|---|");
for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1])) {
  const ms = us / runs / 1000;
  if (ms >= 0.05) console.log(`| ${op} | ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(1)}% |`);
}
console.log("\n| op:role | ms per step | share |\n|---|---|---|");
for (const [role, us] of [...byRole].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  const ms = us / runs / 1000;
  console.log(`| ${role} | ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(1)}% |`);
}
console.log(`\n| node | op | ms per step |\n|---|---|---|`);
for (const [node, { op, us }] of [...byNode].sort((a, b) => b[1].us - a[1].us).slice(0, Number(values.top))) {
  console.log(`| ${node} | ${op} | ${(us / runs / 1000).toFixed(2)} |`);
}
