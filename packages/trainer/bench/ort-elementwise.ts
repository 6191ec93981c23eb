// Element-wise formulations of the training graphs' backward tail on one [4, 16, 128, 128] tensor (the U-Net's
// first level at 128x128): LeakyReLU's backward, BatchNorm's Σ dy·x_c, MaxPool with and without indices. Each graph
// ends in a ReduceSum to one value, so no large output is copied out; "reduce x" is that floor. Minimum and median
// CPU ms (user + system) of 21 runs, 1 intra-op thread. Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/ort-elementwise.ts
import * as ort from "onnxruntime-node";
import { serialize } from "../src/ort/net-graphs.ts";
import { type Sym, Tape } from "../src/ort/tape.ts";

const sh = [4, 16, 128, 128];
const n = sh.reduce((a, b) => a * b);
const p = 128 * 128;
const alpha = 0.01;

/** Σ of every element of `s` (as float) as the graph's one output. */
function sink(t: Tape, s: Sym): void {
  const f = t.op("Cast", [s], s.shape, { to: 1 });
  t.output(t.op("ReduceSum", [f, t.i64([...s.shape.keys()])], [], { keepdims: 0 }), "o");
}

const forms: Record<string, (t: Tape, x: Sym, dy: Sym) => void> = {
  "reduce x (floor)": (t, x) => sink(t, x),
  "Mul (one pass)": (t, x, dy) => sink(t, t.op("Mul", [dy, x], sh)),
  "LeakyReLU bwd: Greater, Mul, Where": (t, x, dy) => {
    const pos = t.op("Greater", [x, t.scalar(0)], sh);
    sink(t, t.op("Where", [pos, dy, t.op("Mul", [dy, t.scalar(alpha)], sh)], sh));
  },
  "LeakyReLU bwd: Where(Greater, 1, α), Mul": (t, x, dy) => {
    const slope = t.op("Where", [t.op("Greater", [x, t.scalar(0)], sh), t.scalar(1), t.scalar(alpha)], sh);
    sink(t, t.op("Mul", [dy, slope], sh));
  },
  "LeakyReLU bwd: Max(Sign, α), Mul": (t, x, dy) => {
    sink(t, t.op("Mul", [dy, t.op("Max", [t.op("Sign", [x], sh), t.scalar(alpha)], sh)], sh));
  },
  "Greater (bool out, then Cast)": (t, x) => sink(t, t.op("Greater", [x, t.scalar(0)], sh)),
  "Greater, Cast to float": (t, x) => sink(t, t.op("Cast", [t.op("Greater", [x, t.scalar(0)], sh)], sh, { to: 1 })),
  "LeakyReLU bwd: slope = Clip(Cast(Greater), α), Mul": (t, x, dy) => {
    const m = t.op("Cast", [t.op("Greater", [x, t.scalar(0)], sh)], sh, { to: 1 });
    sink(t, t.op("Mul", [dy, t.op("Clip", [m, t.scalar(alpha)], sh)], sh));
  },
  "LeakyReLU bwd: slope = Clip(Sign, α), Mul": (t, x, dy) => {
    sink(t, t.op("Mul", [dy, t.op("Clip", [t.op("Sign", [x], sh), t.scalar(alpha)], sh)], sh));
  },
  "LeakyReLU bwd: slope = α + (1−α)·Cast(Greater), Mul": (t, x, dy) => {
    const m = t.op("Cast", [t.op("Greater", [x, t.scalar(0)], sh)], sh, { to: 1 });
    const slope = t.op("Add", [t.op("Mul", [m, t.scalar(1 - alpha)], sh), t.scalar(alpha)], sh);
    sink(t, t.op("Mul", [dy, slope], sh));
  },
  "LeakyReLU bwd: Where(bool, dy, α·dy) only": (t, x, dy) => {
    const pos = t.op("Cast", [x], sh, { to: 9 });
    sink(t, t.op("Where", [pos, dy, t.op("Mul", [dy, t.scalar(alpha)], sh)], sh));
  },
  "Σ dy·x_c: Mul, ReduceSum": (t, x, dy) => {
    sink(t, t.op("ReduceSum", [t.op("Mul", [dy, x], sh), t.i64([0, 2, 3])], [16], { keepdims: 0 }));
  },
  "Σ dy·x_c: batched MatMul diagonal": (t, x, dy) => {
    const a = t.op("Reshape", [dy, t.i64([4, 16, p])], [4, 16, p]);
    const b = t.op("Transpose", [t.op("Reshape", [x, t.i64([4, 16, p])], [4, 16, p])], [4, p, 16], { perm: [0, 2, 1] });
    const eye = new Float32Array(256);
    for (let i = 0; i < 16; i++) eye[i * 17] = 1;
    const m = t.op("Mul", [t.op("MatMul", [a, b], [4, 16, 16]), t.f32(eye, [16, 16])], [4, 16, 16]);
    sink(t, t.op("ReduceSum", [m, t.i64([0, 2])], [16], { keepdims: 0 }));
  },
  "BN variance: ReduceSumSquare over N, H, W": (t, x) =>
    sink(t, t.op("ReduceSumSquare", [x], [16], { axes: [0, 2, 3], keepdims: 0 })),
  "BN variance: Mul(x_c, x_c), ReduceSum": (t, x) =>
    sink(t, t.op("ReduceSum", [t.op("Mul", [x, x], sh), t.i64([0, 2, 3])], [16], { keepdims: 0 })),
  "BN variance: Mul(x_c, x_c), ReduceMean": (t, x) =>
    sink(t, t.op("ReduceMean", [t.op("Mul", [x, x], sh)], [16], { axes: [0, 2, 3], keepdims: 0 })),
  "BN mean: ReduceMean over N, H, W": (t, x) =>
    sink(t, t.op("ReduceMean", [x], [16], { axes: [0, 2, 3], keepdims: 0 })),
  "BN x_c: Sub(x, mean)": (t, x) => {
    const m = t.op("ReduceMean", [x], [1, 16, 1, 1], { axes: [0, 2, 3], keepdims: 1 });
    sink(t, t.op("Sub", [x, m], sh));
  },
  "MaxPool 2x2": (t, x) => sink(t, t.op("MaxPool", [x], [4, 16, 64, 64], { kernel_shape: [2, 2], strides: [2, 2] })),
  "MaxPool 2x2 with Indices": (t, x) => {
    const [y, idx] = t.multi(
      "MaxPool",
      [x],
      [
        [4, 16, 64, 64],
        [4, 16, 64, 64],
      ],
      { kernel_shape: [2, 2], strides: [2, 2] },
    );
    sink(t, t.op("Add", [y, t.op("Cast", [idx], idx.shape, { to: 1 })], y.shape));
  },
};

const feeds = {
  x: new ort.Tensor(
    "float32",
    Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
    sh,
  ),
  dy: new ort.Tensor(
    "float32",
    Float32Array.from({ length: n }, (_, i) => Math.cos(i)),
    sh,
  ),
};
console.log("CPU ms, min (median) of 21, 1 thread, [4, 16, 128, 128]\n\n| formulation | CPU ms |\n|---|---|");
for (const [name, build] of Object.entries(forms)) {
  const t = new Tape();
  build(t, t.input("x", sh), t.input("dy", sh));
  const s = await ort.InferenceSession.create(serialize(t, "ew"), {
    intraOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  const f = Object.fromEntries(s.inputNames.map((k) => [k, feeds[k as "x" | "dy"]]));
  await s.run(f);
  const cpu: number[] = [];
  for (let i = 0; i < 21; i++) {
    const c0 = process.cpuUsage();
    await s.run(f);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  console.log(`| ${name} | ${cpu[0].toFixed(2)} (${cpu[10].toFixed(2)}) |`);
  await s.release();
}
