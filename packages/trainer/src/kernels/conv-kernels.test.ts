import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../backend/index.ts";
import { type ConvGeometry, geometry2d, geometry3d } from "./conv-geometry.ts";
import { configsFor } from "./register-missing-kernels.ts";

type Pad = "same" | "valid" | number;
interface Case {
  x: number[];
  k: number[]; // filter shape [..., inC, outC]
  stride: number;
  pad: Pad;
  dilation?: number;
}
const CASES_2D: Case[] = [
  { x: [2, 7, 9, 3], k: [3, 3, 3, 4], stride: 1, pad: "same" },
  { x: [1, 8, 8, 2], k: [3, 3, 2, 3], stride: 2, pad: "same" },
  { x: [1, 9, 7, 2], k: [2, 2, 2, 3], stride: 2, pad: "valid" },
  { x: [2, 6, 5, 3], k: [3, 3, 3, 2], stride: 1, pad: "valid" },
  { x: [1, 7, 7, 1], k: [1, 1, 1, 3], stride: 1, pad: "same" },
  { x: [1, 10, 9, 2], k: [3, 3, 2, 2], stride: 2, pad: 1 },
  { x: [1, 11, 11, 2], k: [5, 5, 2, 2], stride: 3, pad: "same" },
  { x: [1, 9, 10, 2], k: [3, 3, 2, 3], stride: 1, pad: "same", dilation: 2 },
  // Stride-1 fast paths (shifted-window filter gradient, input gradient as a conv): asymmetric 'same' padding of
  // even kernels, a wide kernel, a 1x1 conv with more input than output channels.
  { x: [2, 6, 7, 3], k: [2, 2, 3, 2], stride: 1, pad: "same" },
  { x: [1, 8, 6, 2], k: [4, 3, 2, 3], stride: 1, pad: "same" },
  { x: [3, 5, 4, 5], k: [1, 1, 5, 2], stride: 1, pad: "valid" },
];
const CASES_3D: Case[] = [
  { x: [1, 5, 6, 7, 2], k: [3, 3, 3, 2, 3], stride: 1, pad: "same" },
  { x: [1, 6, 6, 6, 2], k: [2, 2, 2, 2, 4], stride: 2, pad: "valid" },
  { x: [2, 5, 5, 4, 3], k: [3, 3, 3, 3, 2], stride: 2, pad: "same" },
  { x: [1, 7, 6, 5, 1], k: [3, 3, 3, 1, 2], stride: 1, pad: "same", dilation: 2 },
];

function info(c: Case): { g: ConvGeometry; y: number[] } {
  const d = c.dilation ?? 1;
  if (c.x.length === 4) {
    const i = tf.backend_util.computeConv2DInfo(c.x as never, c.k as never, c.stride, d, c.pad);
    return { g: geometry2d(i, "test"), y: i.outShape };
  }
  const i = tf.backend_util.computeConv3DInfo(c.x as never, c.k as never, c.stride, d, c.pad as "same");
  return { g: geometry3d(i), y: i.outShape };
}

/** Direct float64 conv, the definition: y[n,od,oh,ow,o] = Σ x[n, od·s−p+kd·d, …, c]·w[kd, kh, kw, c, o]. */
function refConv(x: Float64Array, w: Float64Array, g: ConvGeometry): Float64Array {
  const y = new Float64Array(g.batch * g.outD * g.outH * g.outW * g.outC);
  let at = 0;
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < g.outD; od++)
      for (let oh = 0; oh < g.outH; oh++)
        for (let ow = 0; ow < g.outW; ow++)
          for (let o = 0; o < g.outC; o++, at++)
            for (let kd = 0; kd < g.kD; kd++)
              for (let kh = 0; kh < g.kH; kh++)
                for (let kw = 0; kw < g.kW; kw++) {
                  const id = od * g.strideD - g.padFront + kd * g.dilationD;
                  const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
                  const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
                  if (id < 0 || id >= g.inD || ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) continue;
                  for (let c = 0; c < g.inC; c++) {
                    const xi = (((n * g.inD + id) * g.inH + ih) * g.inW + iw) * g.inC + c;
                    const wi = (((kd * g.kH + kh) * g.kW + kw) * g.inC + c) * g.outC + o;
                    y[at] += x[xi] * w[wi];
                  }
                }
  return y;
}

function randn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Runs one kernel function on `backendName` with fresh tensors and returns its output values. */
async function run(
  backendName: string,
  kernelFunc: tf.KernelFunc,
  inputs: Record<string, [Float32Array, number[]]>,
  attrs: Record<string, unknown>,
): Promise<Float32Array> {
  await tf.setBackend(backendName);
  const backend = tf.backend();
  const ts = Object.fromEntries(Object.entries(inputs).map(([k, [v, s]]) => [k, tf.tensor(v, s)]));
  const out = kernelFunc({ inputs: ts, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo;
  const values = Float32Array.from(backend.readSync(out.dataId) as Float32Array);
  backend.disposeData(out.dataId);
  tf.dispose(Object.values(ts));
  return values;
}

function assertNear(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= rel * scale, `${label}: [${i}] ${actual[i]} vs ${expected[i]} (|err| ${err} > ${rel}·${scale})`);
  }
}

const NAMES = {
  2: { fwd: "Conv2D", filter: "Conv2DBackpropFilter", input: "Conv2DBackpropInput" },
  3: { fwd: "Conv3D", filter: "Conv3DBackpropFilterV2", input: "Conv3DBackpropInputV2" },
} as const;

function attrsFor(c: Case, y: number[]) {
  const base =
    c.x.length === 4 ? { strides: c.stride, pad: c.pad, dataFormat: "NHWC" } : { strides: c.stride, pad: c.pad };
  return {
    fwd: { ...base, dilations: c.dilation ?? 1 },
    filter: { ...base, filterShape: c.k },
    input: { ...base, inputShape: c.x },
    y,
  };
}

const label = (c: Case) => `x ${c.x} k ${c.k} s${c.stride} ${c.pad}${c.dilation ? ` d${c.dilation}` : ""}`;
const tfjsCpu = new Map<string, tf.KernelFunc>();

before(async () => {
  for (const n of Object.values(NAMES).flatMap((v) => Object.values(v)))
    tfjsCpu.set(n, tf.getKernel(n, "cpu")!.kernelFunc);
  await selectBackend("wasm"); // starts wasm and registers the wasm kernels; the cpu kernels stay tfjs's own
});

describe("bcpseg conv kernels against tfjs-cpu on random inputs (1e-5 of the largest value)", () => {
  for (const c of [...CASES_2D, ...CASES_3D]) {
    it(label(c), async () => {
      const names = NAMES[c.x.length === 4 ? 2 : 3];
      const { y } = info(c);
      const a = attrsFor(c, y);
      const x = randn(size(c.x), 1);
      const w = randn(size(c.k), 2);
      const dy = randn(size(y), 3);
      const cases = [
        [names.fwd, { x: [x, c.x], filter: [w, c.k] }, a.fwd],
        ...(c.dilation === undefined
          ? [
              [names.filter, { x: [x, c.x], dy: [dy, y] }, a.filter],
              [names.input, { dy: [dy, y], filter: [w, c.k] }, a.input],
            ]
          : []),
      ] as [string, Record<string, [Float32Array, number[]]>, Record<string, unknown>][];
      for (const [name, inputs, attrs] of cases) {
        const expected = await run("cpu", tfjsCpu.get(name)!, inputs, attrs);
        for (const backend of ["wasm", "cpu"]) {
          const actual = await run(backend, configsFor(backend)[name].kernelFunc, inputs, attrs);
          assertNear(actual, expected, 1e-5, `${name} on ${backend}`);
        }
      }
    });
  }
});

describe("bcpseg conv kernels against float64 central differences of L = Σ conv(x, w)·dy", () => {
  // L is bilinear in (x, w), so a central difference with h = 0.5 is exact up to float64 rounding; the float32
  // kernels must match to 1e-5 of the largest gradient entry.
  for (const c of [CASES_2D[0], CASES_2D[1], CASES_2D[2], CASES_2D[8], CASES_3D[0], CASES_3D[2]]) {
    it(label(c), async () => {
      const names = NAMES[c.x.length === 4 ? 2 : 3];
      const { g, y } = info(c);
      const a = attrsFor(c, y);
      const x = randn(size(c.x), 4);
      const w = randn(size(c.k), 5);
      const dy = randn(size(y), 6);
      const loss = (xs: Float64Array, ws: Float64Array) => refConv(xs, ws, g).reduce((s, v, i) => s + v * dy[i], 0);
      const fd = (v: Float32Array, at: (p: Float64Array) => number) =>
        Float64Array.from(v, (_, i) => {
          const plus = Float64Array.from(v);
          const minus = Float64Array.from(v);
          plus[i] += 0.5;
          minus[i] -= 0.5;
          return at(plus) - at(minus);
        });
      const dwFd = fd(w, (p) => loss(Float64Array.from(x), p));
      const dxFd = fd(x, (p) => loss(p, Float64Array.from(w)));
      const yRef = refConv(Float64Array.from(x), Float64Array.from(w), g);
      for (const backend of ["wasm", "cpu"]) {
        const k = configsFor(backend);
        assertNear(
          await run(backend, k[names.fwd].kernelFunc, { x: [x, c.x], filter: [w, c.k] }, a.fwd),
          yRef,
          1e-5,
          "y",
        );
        assertNear(
          await run(backend, k[names.filter].kernelFunc, { x: [x, c.x], dy: [dy, y] }, a.filter),
          dwFd,
          1e-5,
          "dw",
        );
        assertNear(
          await run(backend, k[names.input].kernelFunc, { dy: [dy, y], filter: [w, c.k] }, a.input),
          dxFd,
          1e-5,
          "dx",
        );
      }
    });
  }
});
