import type { DiceForm } from "@bcpseg/core";
import type { ArchSpec } from "../export/arch-spec.ts";
import { IR_VERSION, OPSET } from "../export/export-onnx.ts";
import { DataType, encodeModel } from "../export/onnx-proto.ts";
import { type ParamKind, torchParamShapes } from "../export/torch-param-shapes.ts";
import { VNET_DECODER, VNET_ENCODER, VNET_UPS } from "../models/vnet-3d-layout.ts";
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
  #pass = 0;

  constructor(t: Tape, spec: NetSpec, mode: "train" | "eval", lower: LowerOptions, trainable: boolean) {
    this.t = t;
    this.spec = spec;
    this.mode = mode;
    this.lower = lower;
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

  /** Emits one forward pass on `x` [N, 1, ...patch]; returns the logits [N, classes, ...patch]. */
  forward(x: Sym): Sym {
    const y = this.spec.arch.kind === "unet2d" ? this.#unet(x) : this.#vnet(x);
    this.#pass++;
    return y;
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

  #conv(name: string, x: Sym, stride = 1): Sym {
    return conv(this.t, x, this.#p(`${name}.weight`), this.#p(`${name}.bias`), stride, this.lower);
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

  // UNet_2d: ConvBlock = conv3x3 → BN → LeakyReLU(0.01) → Dropout(p) → conv3x3 → BN → LeakyReLU(0.01);
  // down = MaxPool 2 → ConvBlock; up = conv1x1 → bilinear ×2 (align_corners) → cat [skip, up] → ConvBlock(p = 0).
  #unet(x: Sym): Sym {
    const t = this.t;
    const block = (name: string, input: Sym, p: number) => {
      let y = leakyRelu(t, this.#bn(`${name}.conv_conv.1`, this.#conv(`${name}.conv_conv.0`, input)), 0.01);
      y = this.#dropout(y, p, "element");
      return leakyRelu(t, this.#bn(`${name}.conv_conv.5`, this.#conv(`${name}.conv_conv.4`, y)), 0.01);
    };
    const encoder = ["encoder.in_conv", ...[1, 2, 3, 4].map((k) => `encoder.down${k}.maxpool_conv.1`)];
    const feats: Sym[] = [];
    encoder.forEach((name, k) => {
      const input = k === 0 ? x : maxPool2(t, feats[k - 1], this.lower);
      feats.push(block(name, input, this.spec.dropout[k] ?? 0));
    });
    let y = feats[4];
    for (let k = 1; k <= 4; k++) {
      const up = resize2x(t, this.#conv(`decoder.up${k}.conv1x1`, y));
      y = block(`decoder.up${k}.conv`, concat(t, [feats[4 - k], up]), 0);
    }
    return this.#conv("decoder.out_conv", y);
  }

  // VNet (batchnorm): stages of conv3x3x3 → BN → ReLU; _dw = Conv k2 s2 → BN → ReLU; _up = ConvTranspose k2 s2 →
  // BN → ReLU, then the skip is added; Dropout3d(p) on x5 and on x9; out_conv 1x1x1.
  #vnet(x: Sym): Sym {
    const t = this.t;
    const stages = (name: string, count: number, input: Sym) => {
      let y = input;
      for (let i = 0; i < count; i++)
        y = relu(t, this.#bn(`${name}.conv.${3 * i + 1}`, this.#conv(`${name}.conv.${3 * i}`, y)));
      return y;
    };
    const feats: Sym[] = [];
    VNET_ENCODER.forEach(([name, count], k) => {
      let input = x;
      if (k > 0) {
        const dw = `encoder.${VNET_ENCODER[k - 1][0]}_dw`;
        input = relu(t, this.#bn(`${dw}.conv.1`, this.#conv(`${dw}.conv.0`, feats[k - 1], 2)));
      }
      feats.push(stages(`encoder.${name}`, count, input));
    });
    const p = this.spec.dropout[0] ?? 0;
    let y = this.#dropout(feats[4], p, "channel");
    VNET_DECODER.forEach(([name, count], k) => {
      const up = `decoder.${VNET_UPS[k]}`;
      const w = this.#p(`${up}.conv.0.weight`);
      const b = this.#p(`${up}.conv.0.bias`);
      const bn = this.#bn(`${up}.conv.1`, convTransposeK2(t, y, w, b, this.lower));
      y = stages(`decoder.${name}`, count, add(t, relu(t, bn), feats[3 - k]));
    });
    y = this.#dropout(y, p, "channel");
    return this.#conv("decoder.out_conv", y);
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
