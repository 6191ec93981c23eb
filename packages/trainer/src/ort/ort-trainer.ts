import type { Rng } from "@bcpseg/core";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { NamedWeights } from "../nn/param-store.ts";
import { fromTorchLayout, fromTorchShape, toTorchLayout } from "../nn/torch-layout.ts";
import {
  type DropoutSpec,
  forwardGraph,
  type GeneratedGraph,
  IO,
  type NetSpec,
  type StepGraphSpec,
  stepGraph,
} from "./net-graphs.ts";
import type { OrtNode } from "./ort-node.ts";
import { numel } from "./tape.ts";
import type { LowerOptions } from "./train-ops.ts";

/** Where the graphs run. */
export type OrtProvider = "cpu" | "webgpu";

/** Options of {@link OrtTrainer}. */
export interface OrtTrainerOptions {
  readonly provider: OrtProvider;
  /** Intra-op threads of the CPU EP (default 1). */
  readonly threads?: number;
  /**
   * Whether idle intra-op threads spin between nodes (default false; onnxruntime's own default is true). Measured on
   * 2 cores (BENCHMARKS.md, issue 10): without spinning the 2-thread U-Net step is 4% faster on a quiet machine and
   * up to 2x faster on a shared one, where spinning threads take the cores from the thread with work.
   */
  readonly spinning?: boolean;
  /**
   * onnxruntime's memory pattern (one planned block for a run's intermediates; default false, onnxruntime's own default
   * is true). With it the V-Net step (batch 2, 112x112x80) faults its 5 GB of intermediates in afresh on most steps
   * (1.3 million minor page faults, 14 s of system time on top of 11 s of compute, BENCHMARKS.md, issue 10); without
   * it the arena keeps its chunks. The U-Net steps are the same either way.
   */
  readonly memPattern?: boolean;
  readonly lower?: LowerOptions;
}

/** One network's state in PyTorch layout: trainable parameters, running statistics, BatchNorm batch counters. */
export class NetState {
  readonly params: Map<string, Float32Array>;
  readonly stats: Map<string, Float32Array>;
  readonly tracked: Map<string, number>;

  constructor(params: Map<string, Float32Array>, stats: Map<string, Float32Array>, tracked: Map<string, number>) {
    this.params = params;
    this.stats = stats;
    this.tracked = tracked;
  }

  /** From tfjs-layout named weights (a tfjs model's getWeights, a checkpoint's student or teacher). */
  static fromNamed(
    weights: Readonly<NamedWeights>,
    layout: GeneratedGraph["trainable"],
    statNames: Iterable<string>,
    tfShape: (name: string) => readonly number[],
  ): NetState {
    const params = new Map<string, Float32Array>();
    for (const name of layout.keys()) {
      params.set(name, toTorchLayout(Float32Array.from(weights[name]), [...tfShape(name)]).data);
    }
    const stats = new Map<string, Float32Array>();
    for (const name of statNames) stats.set(name, Float32Array.from(weights[name]));
    const tracked = new Map<string, number>();
    for (const [name, v] of Object.entries(weights)) {
      if (name.endsWith(".num_batches_tracked")) tracked.set(name, v[0]);
    }
    return new NetState(params, stats, tracked);
  }

  /** tfjs-layout named weights in state-dict order `order` (what checkpoints and tfjs models hold). */
  toNamed(order: readonly string[], torchShape: (name: string) => readonly number[]): NamedWeights {
    const out: NamedWeights = {};
    for (const name of order) {
      const p = this.params.get(name);
      if (p !== undefined) out[name] = fromTorchLayout(p, [...torchShape(name)]).data;
      else if (this.stats.has(name)) out[name] = Float32Array.from(this.stats.get(name) as Float32Array);
      else out[name] = Int32Array.of(this.tracked.get(name) ?? 0);
    }
    return out;
  }

  /** Torch-layout state dict (for the EMA, which is element-wise and so layout-free). */
  record(): Record<string, Float32Array | Int32Array> {
    const out: Record<string, Float32Array | Int32Array> = {};
    for (const [k, v] of this.params) out[k] = v;
    for (const [k, v] of this.stats) out[k] = v;
    for (const [k, v] of this.tracked) out[k] = Int32Array.of(v);
    return out;
  }

  static fromRecord(r: Readonly<Record<string, Float32Array | Int32Array>>, like: NetState): NetState {
    const pick = (m: Map<string, Float32Array>) => new Map([...m.keys()].map((k) => [k, Float32Array.from(r[k])]));
    return new NetState(
      pick(like.params),
      pick(like.stats),
      new Map([...like.tracked.keys()].map((k) => [k, r[k][0]])),
    );
  }

  clone(): NetState {
    const copy = (m: Map<string, Float32Array>) => new Map([...m].map(([k, v]) => [k, Float32Array.from(v)]));
    return new NetState(copy(this.params), copy(this.stats), new Map(this.tracked));
  }

  /** Adds `passes` to every BatchNorm's batch counter (a train-mode forward). */
  count(passes: number): void {
    for (const [k, v] of this.tracked) this.tracked.set(k, v + passes);
  }
}

/** The data of one pass of a training step. */
export interface PassFeed {
  readonly image: Float32Array;
  /** mix loss */
  readonly frame?: Int32Array;
  readonly box?: Int32Array;
  readonly mask?: Float32Array;
  /** supervised loss */
  readonly target?: Int32Array;
}

/** Loss of one step. */
export interface OrtStepStats {
  readonly loss: number;
  readonly dice: number;
  readonly ce: number;
}

/**
 * Runs generated training graphs on onnxruntime-node: one `session.run` per SGD iteration (forward, loss, gradients
 * and update), teacher forwards and eval forwards, with one session per graph created on first use.
 */
export class OrtTrainer {
  readonly ort: OrtNode;
  readonly net: NetSpec;
  readonly options: OrtTrainerOptions;
  readonly #sessions = new Map<string, Promise<{ session: InferenceSession; graph: GeneratedGraph }>>();

  constructor(ort: OrtNode, net: NetSpec, options: OrtTrainerOptions) {
    this.ort = ort;
    this.net = net;
    this.options = { ...options, lower: { ...providerLowering(options.provider), ...options.lower } };
  }

  #session(key: string, make: () => GeneratedGraph) {
    let s = this.#sessions.get(key);
    if (s === undefined) {
      const graph = make();
      const opts: InferenceSession.SessionOptions = {
        executionProviders: [this.options.provider],
        graphOptimizationLevel: "all",
        intraOpNumThreads: this.options.threads ?? 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        enableMemPattern: this.options.memPattern === true,
        ...(this.options.spinning !== true ? { extra: { session: { intra_op: { allow_spinning: "0" } } } } : {}),
      };
      s = this.ort.InferenceSession.create(graph.bytes, opts).then((session) => ({ session, graph }));
      this.#sessions.set(key, s);
    }
    return s;
  }

  #tensor(data: Float32Array | Int32Array, shape: readonly number[]): Tensor {
    return data instanceof Int32Array
      ? new this.ort.Tensor("int32", data, [...shape])
      : new this.ort.Tensor("float32", data, [...shape]);
  }

  #stateFeeds(feeds: Record<string, Tensor>, graph: GeneratedGraph, state: NetState): void {
    for (const [name, shape] of graph.trainable)
      feeds[IO.param(name)] = this.#tensor(state.params.get(name) as Float32Array, shape);
    for (const [name, shape] of graph.stats)
      feeds[IO.stat(name)] = this.#tensor(state.stats.get(name) as Float32Array, shape);
  }

  #dropoutFeeds(feeds: Record<string, Tensor>, specs: readonly DropoutSpec[], rng: Rng): void {
    for (const d of specs) feeds[d.name] = this.#tensor(drawDropoutMask(d, rng), d.shape);
  }

  /**
   * One SGD iteration: `passes` through the student (one graph per `spec`), parameters, momentum and running
   * statistics replaced by their next values. Dropout masks are drawn from `dropoutRng` in the tfjs model's order.
   */
  async step(
    key: string,
    spec: Omit<StepGraphSpec, "net" | "lower">,
    passes: readonly PassFeed[],
    state: { student: NetState; momentum: Map<string, Float32Array>; lr: number },
    dropoutRng: Rng,
  ): Promise<OrtStepStats> {
    const { session, graph } = await this.#session(key, () =>
      stepGraph({ ...spec, net: this.net, lower: this.options.lower }),
    );
    const feeds: Record<string, Tensor> = {};
    this.#stateFeeds(feeds, graph, state.student);
    for (const [name, shape] of graph.trainable)
      feeds[IO.momentum(name)] = this.#tensor(state.momentum.get(name) as Float32Array, shape);
    feeds[IO.lr] = new this.ort.Tensor("float32", Float32Array.of(state.lr), []);
    const img = [spec.batch, this.net.arch.inChannels, ...spec.patch];
    const lab = [spec.batch, ...spec.patch];
    passes.forEach((p, i) => {
      feeds[IO.image(i)] = this.#tensor(p.image, img);
      if (spec.passes[i].kind === "mix") {
        feeds[IO.frame(i)] = this.#tensor(p.frame as Int32Array, lab);
        feeds[IO.box(i)] = this.#tensor(p.box as Int32Array, lab);
        feeds[IO.mask(i)] = this.#tensor(p.mask as Float32Array, lab);
      } else {
        feeds[IO.target(i)] = this.#tensor(p.target as Int32Array, lab);
      }
    });
    this.#dropoutFeeds(feeds, graph.dropouts, dropoutRng);
    const out = await session.run(feeds);
    const f32 = (name: string) => out[name].data as Float32Array;
    for (const name of graph.trainable.keys()) {
      state.student.params.set(name, f32(IO.next(IO.param(name))));
      state.momentum.set(name, f32(IO.next(IO.momentum(name))));
    }
    for (const name of graph.stats.keys()) state.student.stats.set(name, f32(IO.next(IO.stat(name))));
    state.student.count(passes.length);
    return { loss: f32("loss")[0], dice: f32("dice")[0], ce: f32("ce")[0] };
  }

  /**
   * Logits [N, classes, ...patch] of `state` on `image` [N, 1, ...patch]: train mode (batch statistics, dropout from
   * `rng`, running statistics updated in `state`) or eval mode (running statistics, no dropout).
   */
  async forward(
    state: NetState,
    image: Float32Array,
    batch: number,
    patch: readonly number[],
    mode: "train" | "eval",
    rng?: Rng,
  ): Promise<Float32Array> {
    const key = `forward:${mode}:${batch}:${patch.join("x")}`;
    const { session, graph } = await this.#session(key, () =>
      forwardGraph({ net: this.net, batch, patch, mode, lower: this.options.lower }),
    );
    const feeds: Record<string, Tensor> = {};
    this.#stateFeeds(feeds, graph, state);
    feeds[IO.image(0)] = this.#tensor(image, [batch, this.net.arch.inChannels, ...patch]);
    if (mode === "train") {
      if (rng === undefined && graph.dropouts.length > 0)
        throw new Error("OrtTrainer.forward: train mode needs an rng");
      if (rng !== undefined) this.#dropoutFeeds(feeds, graph.dropouts, rng);
    }
    const out = await session.run(feeds);
    if (mode === "train") {
      for (const name of graph.stats.keys()) state.stats.set(name, out[IO.next(IO.stat(name))].data as Float32Array);
      state.count(1);
    }
    return out[IO.logits(0)].data as Float32Array;
  }

  async dispose(): Promise<void> {
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    for (const s of all) await (await s).session.release();
  }
}

/**
 * The lowering an execution provider needs. WebGPU (measured on onnxruntime-node 1.30 with Dawn on lavapipe) has no
 * 3-D ConvTranspose and no MaxPool Indices output, and runs LogSoftmax on the CPU; its depthwise-im2col weight
 * gradient drifted from the CPU EP's (1e-2), so it keeps the Gemm form.
 */
export function providerLowering(provider: OrtProvider): LowerOptions {
  return provider === "webgpu"
    ? { convTranspose: "matmul", maxPoolGrad: "mask", logSoftmax: "decomposed", weightGrad: "gemm" }
    : {};
}

/**
 * A dropout mask as the tfjs model draws it: one draw per element of the channels-last tensor (element dropout) or
 * per sample and channel (channel dropout), in row-major channels-last order; kept (u ≥ p) units scale by 1/(1 − p).
 * Returned in NCHW order.
 */
export function drawDropoutMask(spec: DropoutSpec, rng: Rng): Float32Array {
  const [n, c, ...sp] = spec.shape;
  const s = numel(sp);
  const out = new Float32Array(n * c * s);
  const scale = 1 / (1 - spec.p);
  const threshold = spec.p * 4294967296;
  // The draws come channels-last; a block of positions at a time, so both the draws and the writes stay in cache.
  const block = Math.max(1, Math.min(s, Math.floor(16384 / c)));
  const draws = new Uint32Array(block * c);
  for (let b = 0; b < n; b++) {
    for (let i0 = 0; i0 < s; i0 += block) {
      const m = Math.min(block, s - i0);
      rng.fillUint32(draws.subarray(0, m * c));
      for (let k = 0; k < c; k++) {
        const o = (b * c + k) * s + i0;
        for (let i = 0; i < m; i++) out[o + i] = draws[i * c + k] >= threshold ? scale : 0;
      }
    }
  }
  return out;
}

/** tfjs shape of a PyTorch-layout weight. */
export const tfShapeOf = (torchShape: readonly number[]) => fromTorchShape([...torchShape]);
