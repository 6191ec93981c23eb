// A/B of ort-cpu training-step graphs in one process: the U-Net step graph (batch 4, supervised loss, SGD) built
// with each lowering / session-option variant, and optionally by another copy of src/ort (--baseline DIR: an older
// commit's graphs, copied beside src/ort so that its ../ imports resolve, e.g.
//   git archive <commit> packages/trainer/src/ort | tar -x --strip-components=3 -C /tmp && mv /tmp/ort src/ort-baseline
// ), timed round by round so that background load hits every variant alike. Prints median and minimum wall ms,
// median CPU ms (user + system), system ms and minor page faults of session.run. Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/ort-ab.ts [--size 128] [--threads 1] [--rounds 6]
//        [--arch vnet --size 112x112x80]
//        [--variants 'default;weightGrad=gemm;spin=0;denormal=1;memPattern=1;arena=0;parallel=1'] [--baseline src/ort-baseline]
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createRng } from "@bcpseg/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import * as ort from "onnxruntime-node";
import { createUNet2d, createVNet3d } from "../src/models/index.ts";
import { IO, type StepGraphSpec, stepGraph } from "../src/ort/net-graphs.ts";
import { drawDropoutMask, NetState, tfShapeOf } from "../src/ort/ort-trainer.ts";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "128" },
    threads: { type: "string", default: "1" },
    rounds: { type: "string", default: "6" },
    variants: { type: "string", default: "default" },
    baseline: { type: "string" },
    arch: { type: "string", default: "unet" },
  },
});
// --arch vnet: the LA V-Net (2 classes) at --size DxHxW (e.g. 112x112x80), batch 2.
const unet = values.arch !== "vnet";
const patch = values.size.includes("x")
  ? values.size.split("x").map(Number)
  : [Number(values.size), Number(values.size)];
const threads = Number(values.threads);
const batch = unet ? 4 : 2;
const classes = unet ? 4 : 2;
const net = {
  arch: { kind: unet ? "unet2d" : "vnet3d", inChannels: 1, numClasses: classes, width: 1 } as const,
  dropout: unet ? [0.05, 0.1, 0.2, 0.3, 0.5] : [0.5],
};
type Make = (spec: StepGraphSpec) => ReturnType<typeof stepGraph>;
const makers: [string, Make, Record<string, string>][] = values.variants.split(";").map((v) => {
  const opts = Object.fromEntries(v === "default" ? [] : v.split(",").map((kv) => kv.split("=") as [string, string]));
  return [`this tree ${v}`, stepGraph, opts];
});
if (values.baseline !== undefined) {
  const old = (await import(resolve(values.baseline, "net-graphs.ts"))) as { stepGraph: Make };
  makers.unshift([`baseline ${values.baseline}`, old.stepGraph, {}]);
}

await tf.setBackend("cpu"); // the initial weights only
const model = unet ? createUNet2d({ width: 1, seed: 1 }) : createVNet3d({ width: 1, seed: 1, numClasses: classes });
const init = model.getWeights();
model.dispose();
const runs: {
  name: string;
  session: ort.InferenceSession;
  feeds: Record<string, ort.Tensor>;
  ms: number[];
  cpu: number[];
  sys: number[];
  faults: number[];
}[] = [];
for (const [name, make, opts] of makers) {
  // Session keys: spin=0 (idle intra-op threads sleep), denormal=1 (flush denormals to zero), memPattern=1 (onnxruntime's
  // memory pattern, off by default as in OrtTrainer),
  // parallel=1 (parallel executor, 2 inter-op threads), arena=0 (no CPU memory arena); every other key is a lowering
  // option.
  const { spin, denormal, memPattern, parallel, arena, ...lower } = opts;
  const session: Record<string, unknown> = {};
  if (spin === "0") session.intra_op = { allow_spinning: "0" };
  if (denormal === "1") session.set_denormal_as_zero = "1";
  const graph = make({
    net,
    batch,
    patch,
    passes: [{ kind: "supervised" }],
    form: "per-sample",
    legacyMaskBug: false,
    momentum: 0.9,
    weightDecay: 1e-4,
    lower,
  });
  const state = NetState.fromNamed(init, graph.trainable, graph.stats.keys(), (n) =>
    tfShapeOf(graph.trainable.get(n) ?? graph.stats.get(n) ?? []),
  );
  const rng = createRng(3);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [n, shape] of graph.trainable) {
    feeds[IO.param(n)] = new ort.Tensor("float32", state.params.get(n) as Float32Array, [...shape]);
    feeds[IO.momentum(n)] = new ort.Tensor("float32", new Float32Array(shape.reduce((a, b) => a * b, 1)), [...shape]);
  }
  for (const [n, shape] of graph.stats) {
    feeds[IO.stat(n)] = new ort.Tensor("float32", state.stats.get(n) as Float32Array, [...shape]);
  }
  feeds[IO.lr] = new ort.Tensor("float32", Float32Array.of(0.01), []);
  const voxels = batch * patch.reduce((a, b) => a * b, 1);
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
  const t0 = performance.now();
  const created = await ort.InferenceSession.create(graph.bytes, {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: parallel === "1" ? "parallel" : "sequential",
    ...(parallel === "1" ? { interOpNumThreads: 2 } : {}),
    enableMemPattern: memPattern === "1",
    ...(arena === "0" ? { enableCpuMemArena: false } : {}),
    ...(Object.keys(session).length > 0 ? { extra: { session } } : {}),
  });
  const createMs = performance.now() - t0;
  await created.run(feeds);
  console.log(`${name}: ${graph.bytes.length} bytes, session created in ${createMs.toFixed(0)} ms`);
  runs.push({ name, session: created, feeds, ms: [], cpu: [], sys: [], faults: [] });
}
for (let r = 0; r < Number(values.rounds); r++) {
  for (const v of runs) {
    for (let i = 0; i < 2; i++) {
      const c0 = process.cpuUsage();
      const f0 = process.resourceUsage().minorPageFault;
      const t0 = performance.now();
      await v.session.run(v.feeds);
      v.ms.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      v.cpu.push((c.user + c.system) / 1000);
      v.sys.push(c.system / 1000);
      v.faults.push(process.resourceUsage().minorPageFault - f0);
    }
  }
}
const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
console.log(
  `${unet ? "U-Net" : "V-Net"} ${patch.join("x")}, batch ${batch}, ${threads} thread(s), ${2 * Number(values.rounds)} steps each\n`,
);
// "sys ms" and "page faults" (minor, per step): fresh memory that the kernel has to map and zero on every step.
console.log(
  "| variant | step ms (median) | step ms (min) | CPU ms (median) | sys ms (median) | page faults (median) |\n|---|---|---|---|---|---|",
);
for (const v of runs) {
  console.log(
    `| ${v.name} | ${median(v.ms).toFixed(0)} | ${Math.min(...v.ms).toFixed(0)} | ${median(v.cpu).toFixed(0)} | ${median(v.sys).toFixed(0)} | ${median(v.faults)} |`,
  );
  await v.session.release();
}
