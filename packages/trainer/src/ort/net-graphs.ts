import type { DiceForm } from "@bcpseg/core";
import type { ArchSpec } from "../export/arch-spec.ts";
import { IR_VERSION, OPSET } from "../export/export-onnx.ts";
import { type NetLayers, netLayers } from "../export/net-layers.ts";
import { DataType, encodeModel } from "../export/onnx-proto.ts";
import { type ParamKind, torchParamShapes } from "../export/torch-param-shapes.ts";
import { type GraphLoss, mixLossGraph, supervisedLossGraph } from "./loss-graph.ts";
import { type Sym, Tape } from "./tape.ts";
import {
  add,
  type BnStats,
  batchNormEval,
  batchNormTrain,
  bin,
  concat,
  conv,
  convTransposeK2,
  dropout,
  type LowerOptions,
  leakyRelu,
  maxPool2,
  relu,
  resize2x,
} from "./train-ops.ts";

/** The network a graph runs: the trainer's U-Net or V-Net, its width and (train mode) its dropout. */
export interface NetSpec {
  readonly arch: ArchSpec;
  /** U-Net: the five encoder dropout probabilities; V-Net: [p] for Dropout3d on x5 and x9 ([] = none). */
  readonly dropout: readonly number[];
}

/** A dropout mask the caller feeds: graph input `name` of NCHW `shape`, drawn as the tfjs model draws it. */
export interface DropoutSpec {
  readonly name: string;
  readonly p: number;
  readonly mode: "element" | "channel";
  readonly shape: readonly number[];
}

/** Graph I/O names. */
export const IO = {
  param: (name: string) => `p:${name}`,
  momentum: (name: string) => `m:${name}`,
  stat: (name: string) => `s:${name}`,
  next: (io: string) => `${io}.next`,
  image: (pass: number) => `image:${pass}`,
  frame: (pass: number) => `frame:${pass}`,
  box: (pass: number) => `box:${pass}`,
  mask: (pass: number) => `mask:${pass}`,
  target: (pass: number) => `target:${pass}`,
  logits: (pass: number) => `logits:${pass}`,
  lr: "lr",
} as const;

/** The state-dict entries of a network, split into trainable parameters and BatchNorm running statistics. */
export function stateLayout(arch: ArchSpec): {
  readonly trainable: ReadonlyMap<string, readonly number[]>;
  readonly stats: ReadonlyMap<string, readonly number[]>;
} {
  const trainable = new Map<string, number[]>();
  const stats = new Map<string, number[]>();
  const isStat = (k: ParamKind) => k === "bn.running_mean" || k === "bn.running_var";
  for (const [name, { shape, kind }] of torchParamShapes(arch)) (isStat(kind) ? stats : trainable).set(name, shape);
  return { trainable, stats };
}

/** Lowers the reference networks onto a tape, in train or eval mode, sharing parameters across passes. */
class NetLowering {
  readonly t: Tape;
  readonly spec: NetSpec;
  readonly mode: "train" | "eval";
  readonly lower: LowerOptions;
  readonly params = new Map<string, Sym>();
  /** Current running statistics per BatchNorm (train mode updates them pass after pass). */
  readonly bn = new Map<string, BnStats>();
  readonly dropouts: DropoutSpec[] = [];
  readonly #net: NetLayers;
  #pass = 0;

  constructor(t: Tape, spec: NetSpec, mode: "train" | "eval", lower: LowerOptions, trainable: boolean) {
    this.t = t;
    this.spec = spec;
    this.mode = mode;
    this.lower = lower;
    this.#net = netLayers(spec.arch);
    const layout = stateLayout(spec.arch);
    for (const [name, shape] of layout.trainable) {
      this.params.set(name, trainable ? t.param(IO.param(name), shape) : t.input(IO.param(name), shape));
    }
    for (const [name, shape] of layout.stats) {
      if (!name.endsWith(".running_mean")) continue;
      const bn = name.slice(0, -".running_mean".length);
      this.bn.set(bn, {
        mean: t.input(IO.stat(name), shape),
        variance: t.input(IO.stat(`${bn}.running_var`), shape),
      });
    }
  }

  /**
   * Emits one forward pass on `x` [N, 1, ...patch] (the layers of {@link netLayers}, which the exporter folds into
   * the deployed graph); returns the logits [N, classes, ...patch].
   */
  forward(x: Sym): Sym {
    const t = this.t;
    const v = new Map<string, Sym>([["input", x]]);
    const get = (name: string): Sym => {
      const s = v.get(name);
      if (s === undefined) throw new Error(`NetLowering: no tensor ${name}`);
      return s;
    };
    for (const l of this.#net.layers) {
      switch (l.op) {
        case "conv": {
          const [w, b] = [this.#p(`${l.name}.weight`), this.#p(`${l.name}.bias`)];
          if (l.transpose && (l.stride !== 2 || l.shape[2] !== 2))
            throw new Error(`NetLowering: ${l.name}: k2 s2 only`);
          v.set(
            l.y,
            l.transpose
              ? convTransposeK2(t, get(l.x), w, b, this.lower)
              : conv(t, get(l.x), w, b, l.stride, this.lower),
          );
          break;
        }
        case "batchNorm":
          v.set(l.y, this.#bn(l.name, get(l.x)));
          break;
        case "leakyRelu":
          v.set(l.y, leakyRelu(t, get(l.x), l.alpha));
          break;
        case "relu":
          v.set(l.y, relu(t, get(l.x)));
          break;
        case "dropout":
          v.set(l.y, this.#dropout(get(l.x), this.spec.dropout[l.slot] ?? 0, l.mode));
          break;
        case "maxPool":
          v.set(l.y, maxPool2(t, get(l.x), this.lower));
          break;
        case "resize":
          v.set(l.y, resize2x(t, get(l.x)));
          break;
        case "concat":
          v.set(l.y, concat(t, l.xs.map(get)));
          break;
        case "add":
          v.set(l.y, add(t, get(l.a), get(l.b)));
          break;
      }
    }
    this.#pass++;
    return get(this.#net.logits);
  }

  /** Declares the updated running statistics as graph outputs. */
  outputStats(): void {
    for (const [bn, s] of this.bn) {
      this.t.output(s.mean, IO.next(IO.stat(`${bn}.running_mean`)));
      this.t.output(s.variance, IO.next(IO.stat(`${bn}.running_var`)));
    }
  }

  #p(name: string): Sym {
    const p = this.params.get(name);
    if (p === undefined) throw new Error(`NetLowering: no parameter ${name}`);
    return p;
  }

  #bn(name: string, x: Sym): Sym {
    const stats = this.bn.get(name);
    if (stats === undefined) throw new Error(`NetLowering: no BatchNorm ${name}`);
    const [g, b] = [this.#p(`${name}.weight`), this.#p(`${name}.bias`)];
    return this.mode === "train" ? batchNormTrain(this.t, x, g, b, stats) : batchNormEval(this.t, x, g, b, stats);
  }

  #dropout(x: Sym, p: number, mode: "element" | "channel"): Sym {
    if (this.mode === "eval" || p === 0) return x;
    const shape = mode === "element" ? x.shape : [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)];
    const name = `dropout:${this.#pass}:${this.dropouts.length}`;
    this.dropouts.push({ name, p, mode, shape });
    return dropout(this.t, x, this.t.input(name, shape));
  }
}

/** The loss of one pass of a training step. */
export type PassLoss =
  | { readonly kind: "mix"; readonly frameWeight: number; readonly boxWeight: number }
  | { readonly kind: "supervised" };

/** One training-step graph: its passes (1 pre-training, 2 self-training), batch and patch, loss and optimizer. */
export interface StepGraphSpec {
  readonly net: NetSpec;
  /** Samples per pass. */
  readonly batch: number;
  readonly patch: readonly number[];
  readonly passes: readonly PassLoss[];
  readonly form: DiceForm;
  readonly legacyMaskBug: boolean;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly lower?: LowerOptions;
}

/** A generated graph: the serialized model and what its feeds must hold. */
export interface GeneratedGraph {
  readonly bytes: Uint8Array;
  readonly dropouts: readonly DropoutSpec[];
  readonly trainable: ReadonlyMap<string, readonly number[]>;
  readonly stats: ReadonlyMap<string, readonly number[]>;
}

/** A tape's graph as a serialized ONNX model (opset 17). */
export function serialize(t: Tape, name: string): Uint8Array {
  return encodeModel({
    ir_version: IR_VERSION,
    opset_import: [{ domain: "", version: OPSET }],
    producer_name: "bcpseg-trainer",
    producer_version: "0",
    graph: t.build(name),
    metadata_props: [],
  });
}

/**
 * One SGD iteration as one graph: every pass's train-mode forward (BatchNorm batch statistics, running statistics
 * updated pass after pass, dropout masks fed in), its loss, the reverse-mode gradients summed over passes, and
 * PyTorch's SGD update (d = g + wd·w; buf = m·buf + d; w = w − lr·buf). Outputs `loss`, `dice`, `ce` and the next
 * parameters, momentum buffers and running statistics.
 */
export function stepGraph(spec: StepGraphSpec): GeneratedGraph {
  const t = new Tape();
  const net = new NetLowering(t, spec.net, "train", spec.lower ?? {}, true);
  const b = spec.batch;
  const losses: GraphLoss[] = [];
  const logits: Sym[] = [];
  spec.passes.forEach((pass, i) => {
    const x = t.input(IO.image(i), [b, spec.net.arch.inChannels, ...spec.patch]);
    const y = net.forward(x);
    logits.push(y);
    const labels = (name: string) => t.input(name, [b, ...spec.patch], DataType.INT32);
    if (pass.kind === "mix") {
      const mask = t.input(IO.mask(i), [b, ...spec.patch]);
      losses.push(
        mixLossGraph(
          t,
          y,
          labels(IO.frame(i)),
          labels(IO.box(i)),
          mask,
          {
            form: spec.form,
            frameWeight: pass.frameWeight,
            boxWeight: pass.boxWeight,
            legacyMaskBug: spec.legacyMaskBug,
          },
          spec.lower,
        ),
      );
    } else {
      losses.push(supervisedLossGraph(t, y, labels(IO.target(i)), spec.form, spec.lower));
    }
  });
  const total = (k: "value" | "dice" | "ce") => losses.map((l) => l[k]).reduce((a, x) => bin(t, "Add", a, x));
  t.output(total("value"), "loss");
  t.output(total("dice"), "dice");
  t.output(total("ce"), "ce");
  net.outputStats();
  logits.forEach((y, i) => {
    t.addGrad(y, losses[i].dLogits);
  });
  t.runRules();

  const lr = t.input(IO.lr, []);
  const mom = t.scalar(spec.momentum);
  const wd = t.scalar(spec.weightDecay);
  for (const [name, shape] of stateLayout(spec.net.arch).trainable) {
    const w = net.params.get(name) as Sym;
    const g = t.grad(w);
    if (g === undefined) throw new Error(`stepGraph: no gradient reaches ${name}`);
    const buf = t.input(IO.momentum(name), shape);
    const d = spec.weightDecay === 0 ? g : bin(t, "Add", g, bin(t, "Mul", w, wd));
    const nextBuf = bin(t, "Add", bin(t, "Mul", buf, mom), d);
    t.output(nextBuf, IO.next(IO.momentum(name)));
    t.output(bin(t, "Sub", w, bin(t, "Mul", nextBuf, lr)), IO.next(IO.param(name)));
  }
  const layout = stateLayout(spec.net.arch);
  return { bytes: serialize(t, "bcpseg_train_step"), dropouts: net.dropouts, ...layout };
}

/** A forward-only graph (teacher pseudo labels, validation): logits [N, classes, ...patch] as `logits:0`. */
export function forwardGraph(spec: {
  readonly net: NetSpec;
  readonly batch: number;
  readonly patch: readonly number[];
  readonly mode: "train" | "eval";
  readonly lower?: LowerOptions;
}): GeneratedGraph {
  const t = new Tape();
  const net = new NetLowering(t, spec.net, spec.mode, spec.lower ?? {}, false);
  const x = t.input(IO.image(0), [spec.batch, spec.net.arch.inChannels, ...spec.patch]);
  t.output(net.forward(x), IO.logits(0));
  if (spec.mode === "train") net.outputStats();
  const layout = stateLayout(spec.net.arch);
  return { bytes: serialize(t, `bcpseg_forward_${spec.mode}`), dropouts: net.dropouts, ...layout };
}
