import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng, type DiceForm } from "@bcpseg/core";
import * as ort from "onnxruntime-node";
import { DataType } from "../export/onnx-proto.ts";
import { mixLossGraph, supervisedLossGraph } from "./loss-graph.ts";
import { serialize } from "./net-graphs.ts";
import { numel, type Sym, Tape } from "./tape.ts";
import {
  add,
  batchNormTrain,
  concat,
  conv,
  convTransposeK2,
  convWeightGrad,
  dropout,
  type LowerOptions,
  leakyRelu,
  maxPool2,
  relu,
  resize2x,
} from "./train-ops.ts";

// Every backward rule against central finite differences: for a random direction v in the inputs, the directional
// derivative (L(x + εv) − L(x − εv))/2ε of L = Σ y·R (R random) must equal Σ_i ⟨∂L/∂x_i, v_i⟩ from the tape.

interface Case {
  readonly inputs: Record<string, readonly number[]>;
  /** Builds y from the parameter syms; extra non-differentiated int/float feeds may be declared on the tape. */
  readonly build: (t: Tape, x: Record<string, Sym>) => Sym | { loss: Sym; dLogits: Sym; logits: Sym };
  readonly feeds?: Record<string, ort.Tensor>;
  /** Inputs whose entries must avoid a kink (ReLU at 0, max-pool ties): magnitudes kept away from 0 / distinct. */
  readonly distinct?: boolean;
}

async function check(c: Case, tolerance = 2e-3): Promise<void> {
  const t = new Tape();
  const params: Record<string, Sym> = {};
  for (const [name, shape] of Object.entries(c.inputs)) params[name] = t.param(name, shape);
  const built = c.build(t, params);
  let loss: Sym;
  if ("loss" in built) {
    loss = built.loss;
    t.addGrad(built.logits, built.dLogits);
  } else {
    const r = t.input("R", built.shape);
    loss = t.op("ReduceSum", [t.op("Mul", [built, r], built.shape), t.i64([...built.shape.keys()])], [], {
      keepdims: 0,
    });
    t.addGrad(built, t.op("Identity", [r], built.shape));
  }
  t.runRules();
  t.output(loss, "L");
  for (const name of Object.keys(c.inputs)) {
    const g = t.grad(params[name]);
    assert.ok(g !== undefined, `no gradient reaches ${name}`);
    t.output(g, `d:${name}`);
  }
  const bytes = serialize(t, "grad_check");
  const session = await ort.InferenceSession.create(bytes);
  try {
    const rng = createRng(7);
    const values: Record<string, Float32Array> = {};
    for (const [name, shape] of Object.entries(c.inputs)) {
      const n = numel(shape);
      // Distinct: a shuffle of (k − n/2 + 1/2)·0.1, at least 0.1 apart and 0.05 from zero, so no ±ε step crosses a kink.
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.randint(0, i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      values[name] = Float32Array.from({ length: n }, (_, i) =>
        c.distinct ? (order[i] - n / 2 + 0.5) * 0.1 : rng.normal(),
      );
    }
    const rShape = "loss" in built ? [] : built.shape;
    const R = Float32Array.from({ length: numel(rShape) }, () => rng.normal());
    const feeds = (vals: Record<string, Float32Array>) => {
      const f: Record<string, ort.Tensor> = { ...(c.feeds ?? {}) };
      for (const [name, shape] of Object.entries(c.inputs)) f[name] = new ort.Tensor("float32", vals[name], [...shape]);
      if (session.inputNames.includes("R")) f.R = new ort.Tensor("float32", R, [...rShape]);
      return f;
    };
    const base = await session.run(feeds(values));
    for (let trial = 0; trial < 3; trial++) {
      const v: Record<string, Float32Array> = {};
      let analytic = 0;
      for (const name of Object.keys(c.inputs)) {
        v[name] = Float32Array.from(values[name], () => (c.distinct ? rng.random() * 2 - 1 : rng.normal()));
        const g = base[`d:${name}`].data as Float32Array;
        for (let i = 0; i < g.length; i++) analytic += g[i] * v[name][i];
      }
      const eps = c.distinct ? 5e-3 : 1e-2;
      const shifted = async (s: number) => {
        const vals: Record<string, Float32Array> = {};
        for (const name of Object.keys(c.inputs)) vals[name] = values[name].map((x, i) => x + s * eps * v[name][i]);
        return (await session.run(feeds(vals))).L.data[0] as number;
      };
      const numeric = ((await shifted(1)) - (await shifted(-1))) / (2 * eps);
      const scale = Math.max(Math.abs(analytic), Math.abs(numeric), 1e-3);
      assert.ok(
        Math.abs(analytic - numeric) <= tolerance * scale,
        `direction ${trial}: tape ${analytic} vs finite differences ${numeric}`,
      );
    }
  } finally {
    await session.release();
  }
}

const LOWERINGS: readonly [string, LowerOptions][] = [
  ["default", {}],
  ["depthwise im2col", { weightGrad: "depthwise" }],
  ["split-shift weight grad", { weightGrad: "split-shift" }],
  ["split-shift weight grad, depthwise shifts", { weightGrad: "split-shift-conv" }],
  ["split-shift weight grad, dy pads", { weightGrad: "split-shift-pads" }],
  ["split-shift weight grad, two axes on x", { weightGrad: "split-shift-2" }],
  [
    "per-shift Gemm, ConvTranspose input grad, MatMul ConvTranspose, mask max-pool grad",
    {
      weightGrad: "gemm-per-shift",
      inputGrad: "conv-transpose",
      convTranspose: "matmul",
      maxPoolGrad: "mask",
    },
  ],
];

/** dW of a stride-1 'same' 3^d convolution by direct summation in float64 (the reference for the lowerings). */
function directWeightGrad(x: Float32Array, xs: readonly number[], dy: Float32Array, co: number): Float64Array {
  const [n, ci, ...sp] = xs;
  const d = sp.length;
  const vol = numel(sp);
  const taps = 3 ** d;
  const out = new Float64Array(co * ci * taps);
  const coord = (p: number) => sp.map((_, j) => Math.floor(p / numel(sp.slice(j + 1))) % sp[j]);
  for (let tap = 0; tap < taps; tap++) {
    const off = sp.map((_, j) => (Math.floor(tap / 3 ** (d - 1 - j)) % 3) - 1);
    for (let p = 0; p < vol; p++) {
      const q = coord(p).map((c, j) => c + off[j]);
      if (q.some((c, j) => c < 0 || c >= sp[j])) continue;
      const qi = q.reduce((a, c, j) => a * sp[j] + c, 0);
      for (let b = 0; b < n; b++)
        for (let o = 0; o < co; o++)
          for (let i = 0; i < ci; i++)
            out[(o * ci + i) * taps + tap] += dy[(b * co + o) * vol + p] * x[(b * ci + i) * vol + qi];
    }
  }
  return out;
}

describe("backward rules against central finite differences", () => {
  for (const [label, o] of LOWERINGS) {
    describe(label, () => {
      it("Conv 2-D 3x3 and 1x1 (input, weight, bias)", async () => {
        await check({
          inputs: { x: [2, 3, 6, 5], w: [4, 3, 3, 3], b: [4], w1: [2, 4, 1, 1], b1: [2] },
          build: (t, p) => conv(t, conv(t, p.x, p.w, p.b, 1, o), p.w1, p.b1, 1, o),
        });
      });
      it("Conv 3-D 3x3x3 and k2 s2", async () => {
        await check({
          inputs: { x: [1, 2, 4, 4, 6], w: [3, 2, 3, 3, 3], b: [3], wd: [2, 3, 2, 2, 2], bd: [2] },
          build: (t, p) => conv(t, conv(t, p.x, p.w, p.b, 1, o), p.wd, p.bd, 2, o),
        });
      });
      it("ConvTranspose 3-D k2 s2", async () => {
        await check({
          inputs: { x: [2, 3, 2, 3, 2], w: [3, 2, 2, 2, 2], b: [2] },
          build: (t, p) => convTransposeK2(t, p.x, p.w, p.b, o),
        });
      });
      it("Conv → BatchNorm → Conv, 2-D (BatchNorm's γs folded into the conv's gradients)", async () => {
        await check({
          inputs: { x: [2, 3, 6, 5], w: [4, 3, 3, 3], b: [4], g: [4], be: [4], w1: [2, 4, 3, 3], b1: [2] },
          build: (t, p) =>
            conv(t, batchNormTrain(t, conv(t, p.x, p.w, p.b, 1, o), p.g, p.be, undefined), p.w1, p.b1, 1, o),
        });
      });
      it("Conv k2 s2 → BatchNorm → ConvTranspose → BatchNorm, 3-D", async () => {
        await check({
          inputs: {
            x: [2, 2, 4, 4, 6],
            wd: [3, 2, 2, 2, 2],
            bd: [3],
            g: [3],
            be: [3],
            wu: [3, 2, 2, 2, 2],
            bu: [2],
            g2: [2],
            be2: [2],
          },
          build: (t, p) => {
            const down = batchNormTrain(t, conv(t, p.x, p.wd, p.bd, 2, o), p.g, p.be, undefined);
            const up = convTransposeK2(t, down, p.wu, p.bu, o);
            return batchNormTrain(t, up, p.g2, p.be2, undefined);
          },
        });
      });
      it("a conv output read by BatchNorm and by an Add (the scaled gradient summed with another)", async () => {
        await check({
          inputs: { x: [2, 3, 5, 4], w: [3, 3, 3, 3], b: [3], g: [3], be: [3] },
          build: (t, p) => {
            const y = conv(t, p.x, p.w, p.b, 1, o);
            return add(t, batchNormTrain(t, y, p.g, p.be, undefined), y);
          },
        });
      });
      it("MaxPool 2-D and 3-D (distinct values)", async () => {
        await check({ inputs: { x: [2, 3, 6, 4] }, build: (t, p) => maxPool2(t, p.x, o), distinct: true });
        await check({ inputs: { x: [1, 2, 4, 4, 2] }, build: (t, p) => maxPool2(t, p.x, o), distinct: true });
      });
    });
  }

  it("every weight-gradient formulation gives the same dW (2-D and 3-D, to float rounding)", async () => {
    const forms = [
      "gemm",
      "gemm-per-shift",
      "depthwise",
      "split-shift",
      "split-shift-conv",
      "split-shift-pads",
      "split-shift-2",
    ] as const;
    for (const [xs, co] of [
      [[3, 5, 7, 6], 4],
      [[1, 2, 4, 5], 3],
      [[2, 3, 5, 4, 6], 4],
      [[1, 2, 4, 3, 5], 7],
    ] as const) {
      const ys = [xs[0], co, ...xs.slice(2)];
      const k = xs.slice(2).map(() => 3);
      const rng = createRng(11);
      const feeds = {
        x: new ort.Tensor(
          "float32",
          Float32Array.from({ length: numel(xs) }, () => rng.normal()),
          [...xs],
        ),
        dy: new ort.Tensor(
          "float32",
          Float32Array.from({ length: numel(ys) }, () => rng.normal()),
          ys,
        ),
      };
      const results: Float32Array[] = [];
      for (const weightGrad of forms) {
        const t = new Tape();
        t.output(convWeightGrad(t, t.input("x", xs), t.input("dy", ys), k, 1, 1, { weightGrad }), "dw");
        const s = await ort.InferenceSession.create(serialize(t, "dw"));
        results.push((await s.run(feeds)).dw.data as Float32Array);
        await s.release();
      }
      // Direct sum as the reference: dW[o, i, a..] = Σ dy[n, o, p]·x[n, i, p + a − 1].
      const ref = directWeightGrad(feeds.x.data as Float32Array, xs, feeds.dy.data as Float32Array, co);
      results.forEach((r, f) => {
        for (let i = 0; i < ref.length; i++) {
          assert.ok(
            Math.abs(r[i] - ref[i]) <= 1e-4 * (1 + Math.abs(ref[i])),
            `${forms[f]} ${xs}: dW[${i}] ${r[i]} vs ${ref[i]}`,
          );
        }
      });
    }
  });

  it("MaxPool gives a tied window's gradient to its first maximum only (both formulations)", async () => {
    for (const [, o] of LOWERINGS) {
      const t = new Tape();
      const x = t.param("x", [1, 1, 2, 2]);
      const y = maxPool2(t, x, o);
      t.addGrad(y, t.op("Identity", [t.input("dy", [1, 1, 1, 1])], [1, 1, 1, 1]));
      t.runRules();
      t.output(t.grad(x) as Sym, "dx");
      const bytes = serialize(t, "tie");
      const s = await ort.InferenceSession.create(bytes);
      const out = await s.run({
        x: new ort.Tensor("float32", Float32Array.of(1, 3, 3, 2), [1, 1, 2, 2]),
        dy: new ort.Tensor("float32", Float32Array.of(5), [1, 1, 1, 1]),
      });
      assert.deepEqual(Array.from(out.dx.data as Float32Array), [0, 5, 0, 0]);
      await s.release();
    }
  });

  it("BatchNorm in training mode, 2-D and 3-D (input, gamma, beta)", async () => {
    await check({
      inputs: { x: [3, 4, 5, 3], g: [4], b: [4] },
      build: (t, p) => batchNormTrain(t, p.x, p.g, p.b, undefined),
    });
    await check({
      inputs: { x: [2, 2, 3, 2, 3], g: [2], b: [2] },
      build: (t, p) => batchNormTrain(t, p.x, p.g, p.b, undefined),
    });
  });

  it("LeakyReLU, ReLU, Dropout (fed mask), Add, Concat", async () => {
    const mask = Float32Array.from({ length: 2 * 3 * 4 * 4 }, (_, i) => (i % 3 === 0 ? 0 : 1 / 0.7));
    await check({
      inputs: { a: [2, 3, 4, 4], b: [2, 3, 4, 4], c: [2, 2, 4, 4] },
      build: (t, p) => {
        const m = t.input("mask", [2, 3, 4, 4]);
        const y = add(t, dropout(t, leakyRelu(t, p.a, 0.01), m), relu(t, p.b));
        return concat(t, [y, p.c]);
      },
      feeds: { mask: new ort.Tensor("float32", mask, [2, 3, 4, 4]) },
      distinct: true,
    });
  });

  it("bilinear x2 up-sampling with align_corners", async () => {
    await check({ inputs: { x: [2, 3, 3, 5] }, build: (t, p) => resize2x(t, p.x) });
  });

  const labels = (shape: number[], classes: number, seed: number) => {
    const rng = createRng(seed);
    return new ort.Tensor(
      "int32",
      Int32Array.from({ length: numel(shape) }, () => rng.nextUint32() % classes),
      shape,
    );
  };
  const boxMask = (shape: number[]) =>
    new ort.Tensor(
      "float32",
      Float32Array.from({ length: numel(shape) }, (_, i) => (i % 7 < 3 ? 1 : 0)),
      shape,
    );
  for (const [form, legacy, lower] of [
    ["batch-squared", false, "op"],
    ["batch-squared", true, "op"],
    ["per-sample", false, "op"],
    ["batch-squared", false, "decomposed"],
  ] as const) {
    it(`mix loss, ${form} Dice${legacy ? " (legacy mask bug)" : ""}, region weights 1 and 0.5, ${lower} log-softmax`, async () => {
      const shape = [2, 5, 4];
      await check({
        inputs: { z: [2, 3, 5, 4] },
        build: (t, p) => {
          const f = t.input("frame", shape, DataType.INT32);
          const b = t.input("box", shape, DataType.INT32);
          const m = t.input("mask", shape);
          const l = mixLossGraph(t, p.z, f, b, m, {
            form: form as DiceForm,
            frameWeight: 1,
            boxWeight: 0.5,
            legacyMaskBug: legacy,
          });
          return { loss: l.value, dLogits: l.dLogits, logits: p.z };
        },
        feeds: { frame: labels(shape, 3, 1), box: labels(shape, 3, 2), mask: boxMask(shape) },
      });
    });
  }
  it("supervised loss (CE + per-sample Dice), 3-D", async () => {
    const shape = [2, 3, 2, 4];
    await check({
      inputs: { z: [2, 2, 3, 2, 4] },
      build: (t, p) => {
        const l = supervisedLossGraph(t, p.z, t.input("target", shape, DataType.INT32), "per-sample");
        return { loss: l.value, dLogits: l.dLogits, logits: p.z };
      },
      feeds: { target: labels(shape, 2, 3) },
    });
  });
});
