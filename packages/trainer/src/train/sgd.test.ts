import assert from "node:assert/strict";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { lrAt } from "./lr-schedule.ts";
import { MomentumSgd } from "./sgd.ts";

await tf.setBackend("cpu");
const f = Math.fround;

describe("MomentumSgd", () => {
  it("matches a hand computation of PyTorch SGD (float32, three steps)", () => {
    const w0 = [0.5, -1.25, 2];
    const w = tf.variable(tf.tensor1d(w0));
    const opt = new MomentumSgd([["w", w]], { lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
    const grads = [
      [1, 2, -3],
      [0.5, -0.5, 0.25],
      [-1, 0, 4],
    ];
    // Hand: d = g + wd·w; buf = m·buf + d; w = w − lr·buf, each op rounded to float32.
    const hw = w0.map(f);
    const buf = [0, 0, 0];
    for (const g of grads) {
      opt.step([tf.tensor1d(g)]);
      for (let i = 0; i < 3; i++) {
        const d = f(g[i] + f(f(0.01) * hw[i]));
        buf[i] = f(f(f(0.9) * buf[i]) + d);
        hw[i] = f(hw[i] - f(f(0.1) * buf[i]));
      }
    }
    assert.deepEqual(Array.from(w.dataSync()), hw);
    assert.deepEqual(Array.from(opt.getState().w), buf);
    // First step: buf = d exactly (PyTorch clones d_p); with g = [1, 2, -3] and w0, d = g + 0.01·w0.
    opt.dispose();
    w.dispose();
  });

  it("saves and restores its buffers so two optimizers continue identically", () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([1, 2]));
    const oa = new MomentumSgd([["x", a]], { lr: 0.05, momentum: 0.9, weightDecay: 1e-4 });
    const ob = new MomentumSgd([["x", b]], { lr: 0.05, momentum: 0.9, weightDecay: 1e-4 });
    const g = tf.tensor1d([0.3, -0.7]);
    oa.step({ x: g });
    ob.setState(oa.getState());
    b.assign(a);
    oa.step({ x: g });
    ob.step({ x: g });
    assert.deepEqual(a.dataSync(), b.dataSync());
    assert.throws(() => ob.setState({}), { code: "ERR_ARGUMENT" });
    assert.throws(() => ob.setState({ x: new Float32Array(3) }), { code: "ERR_SHAPE" });
    tf.dispose([a, b, g]);
    oa.dispose();
    ob.dispose();
  });

  it("leaks no tensors per step", () => {
    const w = tf.variable(tf.ones([4, 4]));
    const opt = new MomentumSgd([["w", w]], { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 });
    const g = tf.ones([4, 4]);
    opt.step([g]);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.step([g]);
    assert.equal(tf.memory().numTensors, n);
    tf.dispose([w, g]);
    opt.dispose();
  });

  it("rejects bad hyper-parameters", () => {
    assert.throws(() => new MomentumSgd([], { lr: 0, momentum: 0.9, weightDecay: 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => new MomentumSgd([], { lr: 0.1, momentum: 1, weightDecay: 0 }), { code: "ERR_ARGUMENT" });
  });
});

describe("lrAt", () => {
  it("is constant without a step and follows the LA rule with one", () => {
    assert.equal(lrAt({ lr: 0.01, step: 0, gamma: 0.1 }, 99_999), 0.01);
    const la = { lr: 0.01, step: 2500, gamma: 0.1 };
    assert.equal(lrAt(la, 1), 0.01);
    assert.equal(lrAt(la, 2500), 0.01);
    assert.equal(lrAt(la, 2501), 0.01 * 0.1);
    assert.equal(lrAt(la, 5001), 0.01 * 0.1 ** 2);
  });
});
