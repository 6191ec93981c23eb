import { emaUpdate, type Rng } from "@bcpseg/core";
import type { Batch } from "../data/index.ts";
import type { EvalModel } from "../eval/index.ts";
import type { NamedWeights } from "../nn/param-store.ts";
import { fromTorchLayout, toTorchLayout } from "../nn/torch-layout.ts";
import { type NetSpec, type PassLoss, stateLayout } from "../ort/net-graphs.ts";
import { loadOrtNode } from "../ort/ort-node.ts";
import { NetState, type OrtProvider, OrtTrainer, type PassFeed, tfShapeOf } from "../ort/ort-trainer.ts";
import type { LowerOptions } from "../ort/train-ops.ts";
import type { TrainConfig } from "./config.ts";
import type { SgdState } from "./sgd.ts";
import { pretrainInputs, pseudoLabelHalves, type StepStats, selfTrainMixes, teacherHalves } from "./train-steps.ts";

/** The onnxruntime training backends. */
export type OrtBackend = "ort-cpu" | "ort-webgpu";

/** The random streams one iteration draws from. */
export interface StepRngs {
  readonly mask: Rng;
  readonly dropout: Rng;
  readonly teacherDropout: Rng;
}

/** The run's network as the ONNX graphs see it. */
export function netSpecOf(config: TrainConfig): NetSpec {
  const { arch, width, dropout } = config.model;
  const spec = { kind: arch, inChannels: 1, numClasses: config.classes, width } as const;
  return {
    arch: spec,
    dropout: arch === "unet2d" ? [0.05, 0.1, 0.2, 0.3, 0.5] : dropout ? [0.5] : [],
  };
}

/**
 * BCP on onnxruntime: the same iterations as the tfjs engine (train-steps.ts) — mixes, pseudo labels, EMA and every
 * random draw in the same order — with each SGD iteration one `session.run` of a generated graph. State is kept
 * in PyTorch layout and converted to the tfjs layout of checkpoints at the edges.
 */
export class OrtEngine {
  readonly backend: string;
  readonly config: TrainConfig;
  readonly trainer: OrtTrainer;
  student: NetState;
  teacher: NetState | undefined;
  momentum: Map<string, Float32Array>;
  lr: number;
  readonly #order: readonly string[];
  readonly #torchShapes: ReadonlyMap<string, readonly number[]>;
  readonly #statNames: readonly string[];

  private constructor(backend: string, config: TrainConfig, trainer: OrtTrainer, init: NamedWeights) {
    this.backend = backend;
    this.config = config;
    this.trainer = trainer;
    const layout = stateLayout(trainer.net.arch);
    this.#torchShapes = new Map([...layout.trainable, ...layout.stats]);
    this.#statNames = [...layout.stats.keys()];
    this.#order = Object.keys(init);
    this.student = this.#fromNamed(init);
    this.teacher = undefined;
    this.momentum = new Map([...layout.trainable].map(([k, s]) => [k, new Float32Array(s.reduce((a, b) => a * b, 1))]));
    this.lr = config.pretrain.lr;
  }

  /** Starts onnxruntime-node ("ort-cpu": CPU EP with `threads`; "ort-webgpu": WebGPU EP) on `init` (tfjs layout). */
  static async create(
    backend: OrtBackend,
    config: TrainConfig,
    init: NamedWeights,
    options: { threads?: number; lower?: LowerOptions } = {},
  ): Promise<OrtEngine> {
    const ort = await loadOrtNode(backend);
    const provider: OrtProvider = backend === "ort-cpu" ? "cpu" : "webgpu";
    const trainer = new OrtTrainer(ort, netSpecOf(config), {
      provider,
      threads: options.threads,
      lower: options.lower,
    });
    return new OrtEngine(backend, config, trainer, init);
  }

  #fromNamed(w: Readonly<NamedWeights>): NetState {
    const layout = stateLayout(this.trainer.net.arch);
    return NetState.fromNamed(w, layout.trainable, this.#statNames, (name) =>
      tfShapeOf(this.#torchShapes.get(name) as readonly number[]),
    );
  }

  #toNamed(s: NetState): NamedWeights {
    return s.toNamed(this.#order, (name) => this.#torchShapes.get(name) as readonly number[]);
  }

  getStudent(): NamedWeights {
    return this.#toNamed(this.student);
  }

  setStudent(w: Readonly<NamedWeights>): void {
    this.student = this.#fromNamed(w);
  }

  getTeacher(): NamedWeights | undefined {
    return this.teacher === undefined ? undefined : this.#toNamed(this.teacher);
  }

  setTeacher(w: Readonly<NamedWeights>): void {
    this.teacher = this.#fromNamed(w);
  }

  /** Momentum buffers in tfjs layout (the checkpoint's optimizer state). */
  getOptimizer(): SgdState {
    const out: SgdState = {};
    for (const [name, buf] of this.momentum) {
      out[name] = toTf(buf, this.#torchShapes.get(name) as readonly number[]);
    }
    return out;
  }

  setOptimizer(state: Readonly<SgdState>): void {
    for (const name of this.momentum.keys()) {
      const torch = this.#torchShapes.get(name) as readonly number[];
      this.momentum.set(name, fromTf(state[name], torch));
    }
  }

  resetOptimizer(): void {
    for (const [k, v] of this.momentum) this.momentum.set(k, new Float32Array(v.length));
  }

  #stepBase() {
    const c = this.config;
    return {
      batch: c.batch.labeled / 2,
      patch: c.patchSize,
      form: c.diceForm,
      legacyMaskBug: c.quirks.legacyMaskBug,
      momentum: c.optimizer.momentum,
      weightDecay: c.optimizer.weightDecay,
    };
  }

  /** One pre-training iteration (see train-steps.ts pretrainStep). */
  async pretrainStep(batch: Batch, rngs: StepRngs): Promise<StepStats> {
    const c = this.config;
    const { mixed, lm } = pretrainInputs(c, batch, rngs.mask);
    const supervised = c.pretrainLoss === "supervised";
    const pass: PassLoss = supervised ? { kind: "supervised" } : { kind: "mix", frameWeight: 1, boxWeight: 1 };
    const feed: PassFeed = supervised
      ? { image: mixed.images, target: mixed.target }
      : { image: mixed.images, frame: mixed.frameTarget, box: mixed.boxTarget, mask: Float32Array.from(lm) };
    return this.trainer.step(
      `pretrain:${supervised}`,
      { ...this.#stepBase(), passes: [pass] },
      [feed],
      { student: this.student, momentum: this.momentum, lr: this.lr },
      rngs.dropout,
    );
  }

  /** One self-training iteration (see train-steps.ts selfTrainStep), then the EMA update of the teacher. */
  async selfTrainStep(batch: Batch, rngs: StepRngs): Promise<StepStats> {
    const c = this.config;
    const teacher = this.teacher;
    if (teacher === undefined) throw new Error("OrtEngine.selfTrainStep: no teacher");
    const logits: Float32Array[] = [];
    for (const x of teacherHalves(c, batch)) {
      logits.push(
        await this.trainer.forward(teacher, x, c.batch.labeled / 2, c.patchSize, c.teacherMode, rngs.teacherDropout),
      );
    }
    const plab = pseudoLabelHalves(c, logits);
    const { order, lm } = selfTrainMixes(c, batch, plab, rngs.mask);
    const mask = Float32Array.from(lm);
    const passes = order.map((mixed) => {
      const frameIsUnlabeled = mixed.labeledRegion === "box";
      return {
        loss: {
          kind: "mix",
          frameWeight: frameIsUnlabeled ? c.uWeight : 1,
          boxWeight: frameIsUnlabeled ? 1 : c.uWeight,
        } as PassLoss,
        feed: { image: mixed.images, frame: mixed.frameTarget, box: mixed.boxTarget, mask },
      };
    });
    const stats = await this.trainer.step(
      `selftrain:${passes.map((p) => JSON.stringify(p.loss)).join()}`,
      { ...this.#stepBase(), passes: passes.map((p) => p.loss) },
      passes.map((p) => p.feed),
      { student: this.student, momentum: this.momentum, lr: this.lr },
      rngs.dropout,
    );
    this.teacher = NetState.fromRecord(
      emaUpdate(teacher.record(), this.student.record(), c.ema.decay, { scope: c.ema.scope }) as Record<
        string,
        Float32Array | Int32Array
      >,
      teacher,
    );
    return stats;
  }

  /** The student in eval mode (or `weights`, tfjs layout) as an evaluation model: logits from the eval graph. */
  evalModel(weights?: Readonly<NamedWeights>): EvalModel {
    const state = weights === undefined ? this.student : this.#fromNamed(weights);
    return {
      logits: (input, shape) => this.trainer.forward(state, input, shape[0], shape.slice(2), "eval"),
    };
  }

  dispose(): Promise<void> {
    return this.trainer.dispose();
  }
}

/** A PyTorch-layout buffer in tfjs layout. */
const toTf = (data: Float32Array, torchShape: readonly number[]) => fromTorchLayout(data, [...torchShape]).data;

/** A tfjs-layout buffer in PyTorch layout. */
const fromTf = (data: ArrayLike<number>, torchShape: readonly number[]) =>
  toTorchLayout(Float32Array.from(data), tfShapeOf(torchShape)).data;
