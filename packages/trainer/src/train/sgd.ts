import { ArgumentError, checkData } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";

/** Hyper-parameters of {@link MomentumSgd} (PyTorch `torch.optim.SGD` with dampening 0, no Nesterov). */
export interface SgdOptions {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

/** Momentum buffers by parameter name (float32, the parameter's size); what a checkpoint stores. */
export type SgdState = Record<string, Float32Array>;

/**
 * PyTorch SGD on named tf.Variables, written out so that its state can be checkpointed:
 * d = g + wd·w; buf = m·buf + d; w = w − lr·buf. PyTorch initialises buf = d at the first step, which
 * equals m·0 + d exactly, so buffers start at zero and the state is plain data.
 */
export class MomentumSgd {
  /** Learning rate of the next step (the schedule sets it). */
  lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly #params: ReadonlyArray<readonly [string, tf.Variable]>;
  readonly #buffers: tf.Variable[];

  constructor(params: ReadonlyArray<readonly [string, tf.Variable]>, options: SgdOptions) {
    const fn = "MomentumSgd";
    const { lr, momentum, weightDecay } = options;
    if (!(lr > 0)) throw new ArgumentError(fn, "options.lr", `must be > 0, got ${lr}`);
    if (!(momentum >= 0 && momentum < 1))
      throw new ArgumentError(fn, "options.momentum", `must be in [0, 1), got ${momentum}`);
    if (!(weightDecay >= 0)) throw new ArgumentError(fn, "options.weightDecay", `must be >= 0, got ${weightDecay}`);
    this.lr = lr;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.#params = params.map(([n, v]) => [n, v] as const);
    this.#buffers = params.map(([, v]) => tf.variable(tf.zerosLike(v), false));
  }

  /** Parameter names in order. */
  names(): string[] {
    return this.#params.map(([n]) => n);
  }

  /** One update from gradients keyed by parameter name or aligned with the parameter order; disposes nothing given. */
  step(grads: tf.NamedTensorMap | readonly tf.Tensor[]): void {
    const list = Array.isArray(grads) ? grads : this.#params.map(([n]) => (grads as tf.NamedTensorMap)[n]);
    const { lr, momentum: m, weightDecay: wd } = this;
    tf.tidy(() => {
      this.#params.forEach(([name, w], i) => {
        const g = list[i];
        if (g === undefined) throw new ArgumentError("MomentumSgd.step", "grads", `has no gradient for "${name}"`);
        const d = wd === 0 ? g : tf.add(g, tf.mul(w, wd));
        const buf = this.#buffers[i];
        buf.assign(tf.add(tf.mul(buf, m), d));
        w.assign(tf.sub(w, tf.mul(buf, lr)));
      });
    });
  }

  /** Copies of the momentum buffers. */
  getState(): SgdState {
    const out: SgdState = {};
    this.#params.forEach(([name], i) => {
      out[name] = Float32Array.from(this.#buffers[i].dataSync());
    });
    return out;
  }

  /** Loads buffers saved by {@link getState} (same names and sizes). */
  setState(state: Readonly<SgdState>): void {
    const fn = "MomentumSgd.setState";
    this.#params.forEach(([name, w], i) => {
      if (!Object.hasOwn(state, name)) throw new ArgumentError(fn, "state", `has no buffer for "${name}"`);
      checkData(fn, `state["${name}"]`, state[name], w.shape);
      const t = tf.tensor(state[name], w.shape, "float32");
      this.#buffers[i].assign(t);
      t.dispose();
    });
  }

  /** Zeroes the buffers (a fresh optimizer). */
  reset(): void {
    for (const b of this.#buffers) tf.tidy(() => b.assign(tf.zerosLike(b)));
  }

  dispose(): void {
    for (const b of this.#buffers) b.dispose();
  }
}
