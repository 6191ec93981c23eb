// Step time of the reference 2D U-Net (16-32-64-128-256, batch 4, 4 classes, CE loss, SGD momentum 0.9 wd 1e-4)
// on each tfjs backend and on PyTorch (bench/step_time_torch.py), interleaved round by round so that background
// load hits every contender alike; prints the median ms per training step and per train-mode forward pass.
// Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/step-time.ts [--sizes 64,128,256] [--batch 4]
//        [--arch vnet --sizes 112x112x80 --batch 2] (the LA V-Net, 2 classes)
//        [--backends wasm:1,wasm:2,cpu,tensorflow,tensorflow-gpu,torch:1,torch:2] [--rounds 5] [--steps 2]
//        [--max-step-s 20] [--width 1] [--python /usr/bin/python3] [--torch-threads 0]
//   node ... bench/step-time.ts --profile wasm:2 --size 128 [--steps 3]     (per-kernel time of one step)
// A contender NAME:N runs with N threads: wasm's XNNPACK pool (selectBackend threads), torch.set_num_threads;
// plain "wasm" is 1 thread, plain "torch" --torch-threads (0: torch's default). "× torch" compares with torch at the
// same thread count where it runs (cpu counts as 1 thread), else with the first torch contender.
// Each contender runs in its own child process (--worker NAME) that answers one JSON line per command, so the
// backends never share a tfjs engine and the model stays warm between rounds.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, backendInfo, selectBackend } from "../src/backend/index.ts";
import { createUNet2d, createVNet3d } from "../src/models/index.ts";
import { stepGraph } from "../src/ort/net-graphs.ts";
import { loadOrtNode } from "../src/ort/ort-node.ts";
import { NetState, OrtTrainer, tfShapeOf } from "../src/ort/ort-trainer.ts";
import { MomentumSgd } from "../src/train/sgd.ts";
import { profileKernels } from "./kernel-timer.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "64,128,256" },
    arch: { type: "string", default: "unet" },
    size: { type: "string", default: "128" },
    batch: { type: "string", default: "4" },
    width: { type: "string", default: "1" },
    backends: { type: "string", default: "wasm:1,wasm:2,cpu,tensorflow,torch:1,torch:2" },
    rounds: { type: "string", default: "5" },
    steps: { type: "string", default: "2" },
    "max-step-s": { type: "string", default: "20" },
    python: { type: "string", default: "/usr/bin/python3" },
    "torch-threads": { type: "string", default: "0" },
    worker: { type: "string" },
    profile: { type: "string" },
  },
});
const here = dirname(fileURLToPath(import.meta.url));

type Msg =
  | { cmd: "init"; size: number | number[]; batch: number; width: number; classes: number }
  | { cmd: "step" | "forward"; n: number };

/** "128" → [128, 128]; "112x112x80" → [112, 112, 80]. */
const shapeOf = (size: number | number[]) => (Array.isArray(size) ? size : [size, size]);

/**
 * Multiply-adds ×2 of the convolutions of one forward pass (a training step is about three times that): the U-Net's
 * 3x3 and 1x1 convs, or the V-Net's 3x3x3 stages, k2 s2 down- and transposed up-sampling, at `width`.
 */
function convFlops(shape: readonly number[], batch: number, width: number, classes: number): number {
  const ch = [16, 32, 64, 128, 256].map((c) => Math.max(1, Math.round(c * width)));
  const vox = (k: number) => shape.reduce((a, d) => a * (d / 2 ** k), 1);
  let macs = 0;
  if (shape.length === 2) {
    const block = (cin: number, cout: number, k: number) => {
      macs += 9 * (cin * cout + cout * cout) * vox(k);
    };
    for (let k = 0; k < 5; k++) block(k === 0 ? 1 : ch[k - 1], ch[k], k);
    for (let k = 1; k <= 4; k++) {
      macs += ch[5 - k] * ch[4 - k] * vox(5 - k);
      block(2 * ch[4 - k], ch[4 - k], 4 - k);
    }
    macs += 9 * ch[0] * classes * vox(0);
  } else {
    const enc = [1, 2, 3, 3, 3];
    const dec = [3, 3, 2, 1];
    for (let k = 0; k < 5; k++) {
      macs += 27 * ((k === 0 ? 1 : ch[k]) * ch[k] + (enc[k] - 1) * ch[k] * ch[k]) * vox(k);
      if (k < 4) macs += 8 * ch[k] * ch[k + 1] * vox(k + 1);
    }
    for (let k = 0; k < 4; k++) {
      macs += 8 * ch[4 - k] * ch[3 - k] * vox(4 - k);
      macs += 27 * dec[k] * ch[3 - k] * ch[3 - k] * vox(3 - k);
    }
    macs += ch[0] * classes * vox(0);
  }
  return 2 * macs * batch;
}

/** One training setup on the current tfjs backend: random input, random labels, the model and its optimizer. */
function tfjsSetup(size: number | number[], batch: number, width: number, classes: number) {
  const shape = shapeOf(size);
  const model =
    shape.length === 2 ? createUNet2d({ width, seed: 1 }) : createVNet3d({ width, seed: 1, numClasses: classes });
  const opt = new MomentumSgd(
    model.params.trainable().map((v) => [v.name, v] as const),
    { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 },
  );
  const x = tf.randomNormal([batch, ...shape, 1], 0, 1, "float32", 1);
  const onehot = tf.oneHot(tf.randomUniformInt([batch, ...shape], 0, classes, 2), classes);
  const vars = model.trainableVariables as tf.Variable[];
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const logp = tf.logSoftmax(model.apply(x, { training: true }), -1);
        return tf.neg(tf.mean(tf.sum(tf.mul(logp, onehot), -1))) as tf.Scalar;
      }, vars);
      opt.step(vars.map((v) => grads[v.name]));
      value.dataSync();
    });
  const forward = () => {
    tf.tidy(() => tf.sum(model.apply(x, { training: true })).dataSync());
  };
  return { step, forward };
}

/**
 * The same step on onnxruntime-node (ort-cpu: CPU EP with `threads` intra-op threads): one generated graph per
 * iteration (train-mode forward, loss, gradients, SGD). The loss is the LA supervised loss (CE + Dice), a little more
 * work than the CE of the other contenders.
 */
async function ortSetup(name: string, size: number | number[], batch: number, width: number, classes: number) {
  const { backend, threads, lower: opts } = contender(name);
  // "/spin=1" or "/spin=0": whether idle intra-op threads spin (the trainer's default: no); "/mempattern=1": onnxruntime's
  // memory pattern (the trainer's default: off); other keys lower the graph.
  const { spin, mempattern, ...lower } = opts;
  const ort = await loadOrtNode(backend);
  const patch = shapeOf(size);
  const unet = patch.length === 2;
  const net = {
    arch: { kind: unet ? "unet2d" : "vnet3d", inChannels: 1, numClasses: classes, width } as const,
    dropout: unet ? [0.05, 0.1, 0.2, 0.3, 0.5] : [0.5],
  };
  const trainer = new OrtTrainer(ort, net, {
    provider: backend === "ort-webgpu" ? "webgpu" : "cpu",
    threads: threads ?? 1,
    ...(spin === undefined ? {} : { spinning: spin !== "0" }),
    ...(mempattern === undefined ? {} : { memPattern: mempattern !== "0" }),
    lower,
  });
  const model = unet ? createUNet2d({ width, seed: 1 }) : createVNet3d({ width, seed: 1, numClasses: classes });
  const init = model.getWeights();
  model.dispose();
  const graph = stepGraph({
    net,
    batch,
    patch,
    passes: [{ kind: "supervised" }],
    form: "per-sample",
    legacyMaskBug: false,
    momentum: 0.9,
    weightDecay: 1e-4,
  });
  const student = NetState.fromNamed(init, graph.trainable, graph.stats.keys(), (n) =>
    tfShapeOf(graph.trainable.get(n) ?? graph.stats.get(n) ?? []),
  );
  const momentum = new Map([...graph.trainable].map(([k, v]) => [k, new Float32Array(v.reduce((a, b) => a * b, 1))]));
  const rng = createRng(3);
  const voxels = batch * patch.reduce((a, b) => a * b, 1);
  const image = Float32Array.from({ length: voxels }, () => rng.normal());
  const target = Int32Array.from({ length: voxels }, () => rng.nextUint32() % classes);
  const spec = {
    batch,
    patch,
    passes: [{ kind: "supervised" as const }],
    form: "per-sample" as const,
    legacyMaskBug: false,
    momentum: 0.9,
    weightDecay: 1e-4,
  };
  const step = async () => {
    await trainer.step("bench", spec, [{ image, target }], { student, momentum, lr: 0.01 }, rng);
  };
  const forward = async () => {
    await trainer.forward(student, image, batch, patch, "train", rng);
  };
  return { step, forward };
}

/** Wall and CPU (user + system, this process) ms of each of `n` calls. */
async function timeIt(f: () => void | Promise<void>, n: number): Promise<{ ms: number[]; cpu: number[] }> {
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms, cpu };
}

/**
 * "wasm:2" -> the backend and its thread count (undefined: the backend's default). An onnxruntime contender may end in
 * "/key=value" lowering options of the training graph, e.g. "ort-cpu:2/weightGrad=gemm-per-shift", or "/spin=1" (idle
 * intra-op threads spin, onnxruntime's default; the trainer's is to let them sleep, "/spin=0"), or "/mempattern=1"
 * (onnxruntime's memory pattern, its default; the trainer's is off).
 */
function contender(name: string): { backend: string; threads: number | undefined; lower: Record<string, string> } {
  const [head, ...opts] = name.split("/");
  const [backend, threads] = head.split(":");
  const lower = Object.fromEntries(opts.map((o) => o.split("=") as [string, string]));
  return { backend, threads: threads === undefined ? undefined : Number(threads), lower };
}

/** Starts a tfjs contender's backend (wasm with its threads). */
function selectContender(name: string) {
  const { backend, threads } = contender(name);
  return selectBackend(backend as BackendName, threads === undefined ? {} : { threads });
}

/** Child process: answers init/step/forward lines for one tfjs backend. */
async function worker(name: string): Promise<void> {
  let setup: { step: () => void | Promise<void>; forward: () => void | Promise<void> } | null = null;
  const reply = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const msg = JSON.parse(line) as Msg | { cmd: "quit" };
    try {
      if (msg.cmd === "quit") break;
      if (msg.cmd === "init" && name.startsWith("ort-")) {
        await tf.setBackend("cpu");
        setup = await ortSetup(name, msg.size, msg.batch, msg.width, msg.classes);
        reply({ ok: true, backend: name, threads: contender(name).threads ?? 1 });
      } else if (msg.cmd === "init") {
        const threads = setup === null ? (await selectContender(name)).threads : backendInfo().threads;
        setup = tfjsSetup(msg.size, msg.batch, msg.width, msg.classes);
        reply({ ok: true, backend: tf.getBackend(), threads });
      } else if (setup !== null) {
        reply(await timeIt(msg.cmd === "step" ? setup.step : setup.forward, msg.n));
      }
    } catch (e) {
      reply({ error: String((e as Error).message ?? e).split("\n")[0] });
    }
  }
  process.exit(0);
}

/** A contender's child process with a request/reply call. */
function spawnContender(name: string): { call(m: object): Promise<Record<string, unknown>>; proc: ChildProcess } {
  const { backend, threads } = contender(name);
  const proc =
    backend === "torch"
      ? spawn(
          values.python,
          [join(here, "step_time_torch.py"), "--threads", String(threads ?? values["torch-threads"])],
          {
            stdio: ["pipe", "pipe", "inherit"],
          },
        )
      : // The same node flags as this process (tsx from source; none when run as a bundle, scripts/gpu-check.sh).
        spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--worker", name], {
          stdio: ["pipe", "pipe", "inherit"],
        });
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  return {
    proc,
    async call(m) {
      proc.stdin?.write(`${JSON.stringify(m)}\n`);
      const r = await lines.next();
      if (r.done) return { error: "process exited" };
      return JSON.parse(r.value) as Record<string, unknown>;
    },
  };
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Times {
  step: number[];
  stepCpu: number[];
  forward: number[];
  forwardCpu: number[];
  note: string;
}

async function main(): Promise<void> {
  const vnet = values.arch === "vnet";
  const sizes = values.sizes.split(",").map((s) => (s.includes("x") ? s.split("x").map(Number) : Number(s)));
  const classes = vnet ? 2 : 4;
  const names = values.backends.split(",");
  const [batch, width, rounds, steps] = [values.batch, values.width, values.rounds, values.steps].map(Number);
  const maxMs = Number(values["max-step-s"]) * 1000;
  const rows: string[][] = [];
  const quit = (c: ReturnType<typeof spawnContender>) => c.proc.stdin?.end(`${JSON.stringify({ cmd: "quit" })}\n`);
  for (const size of sizes) {
    const live = new Map<string, ReturnType<typeof spawnContender>>();
    const times = new Map<string, Times>();
    for (const name of names) {
      const c = spawnContender(name);
      const r = await c.call({ cmd: "init", size, batch, width, classes });
      const t: Times = { step: [], stepCpu: [], forward: [], forwardCpu: [], note: "" };
      times.set(name, t);
      if (r.error !== undefined || r.ok !== true) {
        t.note = String(r.error ?? "no reply");
        quit(c);
        continue;
      }
      if (contender(name).backend === "torch") t.note = `torch ${r.torch}, ${r.threads} thread(s)`;
      else if (r.threads !== null && r.threads !== undefined) t.note = `${r.threads} thread(s)`;
      const warm = await c.call({ cmd: "step", n: 1 }); // first step: kernel set-up, allocations
      if (warm.error !== undefined) {
        t.note = `${t.note} ${warm.error}`.trim();
        quit(c);
        continue;
      }
      const warmMs = (warm.ms as number[])[0];
      if (warmMs > maxMs) {
        t.step.push(warmMs);
        t.stepCpu.push(...(warm.cpu as number[]));
        t.note = `${t.note} one (first) step only`.trim();
        quit(c);
      } else live.set(name, c);
    }
    for (let round = 0; round < rounds; round++) {
      for (const [name, c] of live) {
        const t = times.get(name) as Times;
        const st = await c.call({ cmd: "step", n: steps });
        const fw = await c.call({ cmd: "forward", n: steps });
        if (st.error !== undefined || fw.error !== undefined) {
          t.note = `${t.note} ${st.error ?? fw.error}`.trim();
          live.delete(name);
          quit(c);
          continue;
        }
        t.step.push(...(st.ms as number[]));
        t.stepCpu.push(...(st.cpu as number[]));
        t.forward.push(...(fw.ms as number[]));
        t.forwardCpu.push(...(fw.cpu as number[]));
        if (median(t.step) * steps * (rounds - round - 1) > 4 * maxMs) {
          t.note = `${t.note} stopped after round ${round + 1}`.trim();
          live.delete(name);
          quit(c);
        }
      }
      process.stderr.write(`size ${size}: round ${round + 1}/${rounds}\n`);
    }
    for (const c of live.values()) quit(c);
    const torchNames = names.filter((n) => contender(n).backend === "torch");
    const refFor = (name: string) => {
      const threads = contender(name).backend === "cpu" ? 1 : (contender(name).threads ?? 1);
      const t = times.get(torchNames.find((n) => contender(n).threads === threads) ?? torchNames[0] ?? "");
      const ok = t !== undefined && t.step.length > 0;
      return { ms: ok ? median(t.step) : Number.NaN, cpu: ok ? median(t.stepCpu) : Number.NaN };
    };
    const fmt = (a: number[]) => (a.length > 0 ? median(a).toFixed(0) : "-");
    const stepFlops = 3 * convFlops(shapeOf(size), batch, width, classes);
    const gflops = (a: number[]) => (a.length > 0 ? (stepFlops / (median(a) * 1e6)).toFixed(1) : "-");
    const ratio = (a: number[], r: number) => (a.length > 0 && !Number.isNaN(r) ? (median(a) / r).toFixed(2) : "-");
    for (const name of names) {
      const t = times.get(name) as Times;
      const ref = refFor(name);
      rows.push([
        shapeOf(size).join("x"),
        name,
        fmt(t.step),
        gflops(t.step),
        fmt(t.stepCpu),
        fmt(t.forward),
        fmt(t.forwardCpu),
        ratio(t.step, ref.ms),
        ratio(t.stepCpu, ref.cpu),
        String(t.step.length),
        t.note,
      ]);
    }
  }
  const head = [
    "size",
    "backend",
    "step ms",
    "step GFLOP/s",
    "step CPU ms",
    "fwd ms",
    "fwd CPU ms",
    "× torch",
    "× torch CPU",
    "n",
    "note",
  ];
  console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

async function profile(name: string): Promise<void> {
  await selectContender(name);
  const s = tfjsSetup(Number(values.size), Number(values.batch), Number(values.width), 4);
  s.step();
  const { table, totalMs } = profileKernels(contender(name).backend, () => s.step(), Number(values.steps));
  console.log(`${name} ${values.size}x${values.size} batch ${values.batch}: ${totalMs.toFixed(0)} ms per step`);
  console.log(table);
}

if (values.worker !== undefined) await worker(values.worker);
else if (values.profile !== undefined) await profile(values.profile);
else await main();
