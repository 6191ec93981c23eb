import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import fc from "fast-check";
import { foldBatchNorm } from "./fold-batch-norm.ts";

const f32 = (...v: number[]) => Float32Array.from(v);

/** conv(x) at one output position = Σ w·x + b, for a [out, in, k] weight on a patch [in, k] (transposed: [in, out, k]). */
function convAt(
  w: Float32Array,
  b: Float32Array,
  patch: Float64Array,
  out: number,
  inC: number,
  k: number,
  transposed: boolean,
) {
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = b[o];
    for (let c = 0; c < inC; c++)
      for (let i = 0; i < k; i++) s += w[transposed ? (c * out + o) * k + i : (o * inC + c) * k + i] * patch[c * k + i];
    y[o] = s;
  }
  return y;
}

describe("foldBatchNorm", () => {
  it("hand table: one channel", () => {
    // γ = 2, β = 1, μ = 3, σ² = 4 − eps → a = 1: w' = w, b' = (5 − 3)·1 + 1 = 3
    const r = foldBatchNorm(f32(1, -2), [1, 1, 2], f32(5), {
      weight: f32(2),
      bias: f32(1),
      running_mean: f32(3),
      running_var: f32(4 - 1e-5),
    });
    assert.deepEqual([...r.weight], [1, -2]);
    assert.ok(Math.abs(r.bias[0] - 3) < 1e-6);
  });

  it("folded conv equals conv followed by eval BatchNorm (conv and transposed conv)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (seed, transposed) => {
        const rng = createRng(seed);
        const [out, inC, k] = [3, 2, 4];
        const rand = (n: number, lo = -1, hi = 1) =>
          Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.random());
        const w = rand(out * inC * k);
        const b = rand(out);
        const bn = {
          weight: rand(out, 0.5, 2),
          bias: rand(out),
          running_mean: rand(out),
          running_var: rand(out, 0.1, 3),
        };
        const shape = transposed ? [inC, out, k] : [out, inC, k];
        const folded = foldBatchNorm(w, shape, b, bn, { transposed });
        const patch = Float64Array.from({ length: inC * k }, () => rng.normal());
        const y = convAt(w, b, patch, out, inC, k, transposed);
        const yf = convAt(folded.weight, folded.bias, patch, out, inC, k, transposed);
        for (let o = 0; o < out; o++) {
          const want = ((y[o] - bn.running_mean[o]) / Math.sqrt(bn.running_var[o] + 1e-5)) * bn.weight[o] + bn.bias[o];
          assert.ok(Math.abs(yf[o] - want) <= 1e-5 * (1 + Math.abs(want)), `${yf[o]} vs ${want}`);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("does not mutate its inputs", () => {
    const w = f32(1, 2);
    foldBatchNorm(w, [1, 1, 2], f32(0), { weight: f32(3), bias: f32(0), running_mean: f32(0), running_var: f32(1) });
    assert.deepEqual([...w], [1, 2]);
  });

  it("rejects mismatched BN lengths with ERR_MODEL_WEIGHTS", () => {
    const bn = { weight: f32(1, 1), bias: f32(0), running_mean: f32(0), running_var: f32(1) };
    assert.throws(() => foldBatchNorm(f32(1), [1, 1, 1], f32(0), bn), { code: "ERR_MODEL_WEIGHTS" });
  });
});
