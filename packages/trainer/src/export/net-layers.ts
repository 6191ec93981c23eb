import { VNET_DECODER, VNET_ENCODER, VNET_UPS } from "../models/vnet-3d-layout.ts";
import { type ArchSpec, archChannels } from "./arch-spec.ts";
import type { ParamFreeOp } from "./net-ops.ts";

/**
 * One layer of a network over named tensors, in forward order. Parameters are named by their PyTorch state-dict
 * prefix (`name.weight`, `name.bias`; BatchNorm also `name.running_mean`, `name.running_var`).
 */
export type NetLayer =
  | {
      readonly op: "conv";
      readonly name: string;
      readonly x: string;
      readonly y: string;
      /** PyTorch layout: [out, in, ...k], or [in, out, ...k] when `transpose`. */
      readonly shape: readonly number[];
      readonly stride: number;
      readonly pad: number;
      readonly transpose: boolean;
    }
  | { readonly op: "batchNorm"; readonly name: string; readonly x: string; readonly y: string; readonly c: number }
  /**
   * Dropout with probability `NetSpec.dropout[slot]` (the identity in eval mode): "element" is nn.Dropout,
   * "channel" nn.Dropout3d (one draw per sample and channel).
   */
  | {
      readonly op: "dropout";
      readonly x: string;
      readonly y: string;
      readonly slot: number;
      readonly mode: "element" | "channel";
    }
  | ParamFreeOp;

/** A network from the tensor `input` ([N, C, ...spatial]) to the tensor `logits`, as layers in forward order. */
export interface NetLayers {
  readonly arch: ArchSpec;
  readonly rank: 2 | 3;
  readonly layers: readonly NetLayer[];
  readonly logits: string;
}

/**
 * The one description of the official networks, from which the trainer's onnxruntime graphs (train and eval mode)
 * and the exported ONNX model (BatchNorm folded, dropout removed) are both generated, and whose parameters, in this
 * order, are the PyTorch state dict's. Width 1 is the official network.
 */
export function netLayers(arch: ArchSpec): NetLayers {
  return arch.kind === "unet2d" ? unet2dLayers(arch) : vnet3dLayers(arch);
}

/**
 * `UNet_2d` of the BCP code (code/networks/unet.py; features 16, 32, 64, 128, 256 at width 1): ConvBlock = conv3x3
 * → BN → LeakyReLU(0.01) → Dropout(p) → conv3x3 → BN → LeakyReLU(0.01), with p = 0.05, 0.1, 0.2, 0.3, 0.5 in the
 * five encoder blocks (slots 0–4) and none in the decoder's; down = MaxPool 2 → ConvBlock; up = conv1x1 → bilinear
 * ×2 (align_corners) → cat [skip, up] → ConvBlock; out_conv 3x3.
 */
function unet2dLayers(arch: ArchSpec): NetLayers {
  const ch = archChannels(arch, "netLayers");
  const layers: NetLayer[] = [];
  const conv = (name: string, x: string, y: string, shape: number[]) =>
    layers.push({ op: "conv", name, x, y, shape, stride: 1, pad: (shape[2] - 1) / 2, transpose: false });
  // The block's i-th conv (+ BN, folded into `name.conv{i}` on export) → LeakyReLU `name.act{i}`.
  const convBnAct = (name: string, i: 0 | 1, x: string, cin: number, cout: number) => {
    const y = `${name}.conv${i}`;
    conv(`${name}.conv_conv.${4 * i}`, x, `${y}:conv`, [cout, cin, 3, 3]);
    layers.push({ op: "batchNorm", name: `${name}.conv_conv.${4 * i + 1}`, x: `${y}:conv`, y, c: cout });
    layers.push({ op: "leakyRelu", x: y, y: `${name}.act${i}`, alpha: 0.01 });
    return `${name}.act${i}`;
  };
  const block = (name: string, x: string, cin: number, cout: number, slot?: number): string => {
    let y = convBnAct(name, 0, x, cin, cout);
    if (slot !== undefined) {
      layers.push({ op: "dropout", x: y, y: `${name}.drop0`, slot, mode: "element" });
      y = `${name}.drop0`;
    }
    return convBnAct(name, 1, y, cout, cout);
  };
  const encoder = ["encoder.in_conv", ...[1, 2, 3, 4].map((k) => `encoder.down${k}.maxpool_conv.1`)];
  const feats: string[] = [];
  encoder.forEach((name, k) => {
    let x = "input";
    if (k > 0) {
      x = `${name}.pool`;
      layers.push({ op: "maxPool", x: feats[k - 1], y: x, kernel: 2 });
    }
    feats.push(block(name, x, k === 0 ? arch.inChannels : ch[k - 1], ch[k], k));
  });
  let y = feats[4];
  for (let k = 1; k <= 4; k++) {
    const [c1, c2] = [ch[5 - k], ch[4 - k]];
    const p = `decoder.up${k}`;
    conv(`${p}.conv1x1`, y, `${p}.conv1x1`, [c2, c1, 1, 1]);
    layers.push({ op: "resize", x: `${p}.conv1x1`, y: `${p}.up`, scale: 2 });
    layers.push({ op: "concat", xs: [feats[4 - k], `${p}.up`], y: `${p}.cat` });
    y = block(`${p}.conv`, `${p}.cat`, 2 * c2, c2);
  }
  conv("decoder.out_conv", y, "logits", [arch.numClasses, ch[0], 3, 3]);
  return { arch, rank: 2, layers, logits: "logits" };
}

/**
 * `VNet(normalization='batchnorm')` of the BCP code (code/networks/VNet.py; 16 base filters at width 1; blocks of
 * 1, 2, 3, 3, 3 convolutions down and 3, 3, 2, 1 up): stages of conv3x3x3 → BN → ReLU; _dw = conv k2 s2 → BN →
 * ReLU; _up = ConvTranspose k2 s2 → BN → ReLU, then + skip; Dropout3d (slot 0) on x5 and before out_conv 1x1x1
 * (the official forward applies it when has_dropout). The unused pooled-x5 head is not described.
 */
function vnet3dLayers(arch: ArchSpec): NetLayers {
  const ch = archChannels(arch, "netLayers");
  const layers: NetLayer[] = [];
  // conv (+ BN) → ReLU: the folded conv's output is `y`, the ReLU's `out`.
  const convBnRelu = (prefix: string, x: string, y: string, out: string, shape: number[], transpose = false) => {
    const k = shape[2];
    const conv = `${prefix}.conv.0`;
    layers.push({
      op: "conv",
      name: conv,
      x,
      y: `${y}:conv`,
      shape,
      stride: k === 2 ? 2 : 1,
      pad: k === 3 ? 1 : 0,
      transpose,
    });
    layers.push({ op: "batchNorm", name: `${prefix}.conv.1`, x: `${y}:conv`, y, c: shape[transpose ? 1 : 0] });
    layers.push({ op: "relu", x: y, y: out });
    return out;
  };
  const stages = (name: string, count: number, x: string, cin: number, cout: number): string => {
    for (let i = 0; i < count; i++) {
      const shape = [cout, i === 0 ? cin : cout, 3, 3, 3];
      const conv = `${name}.conv.${3 * i}`;
      const y = `${name}.s${i}`;
      layers.push({ op: "conv", name: conv, x, y: `${y}.conv:conv`, shape, stride: 1, pad: 1, transpose: false });
      layers.push({ op: "batchNorm", name: `${name}.conv.${3 * i + 1}`, x: `${y}.conv:conv`, y: `${y}.conv`, c: cout });
      layers.push({ op: "relu", x: `${y}.conv`, y });
      x = y;
    }
    return x;
  };
  const feats: string[] = [];
  VNET_ENCODER.forEach(([name, count], k) => {
    let x = "input";
    if (k > 0) {
      const dw = `encoder.${VNET_ENCODER[k - 1][0]}_dw`;
      x = convBnRelu(dw, feats[k - 1], `${dw}.conv`, `${dw}.relu`, [ch[k], ch[k - 1], 2, 2, 2]);
    }
    feats.push(stages(`encoder.${name}`, count, x, k === 0 ? arch.inChannels : ch[k], ch[k]));
  });
  layers.push({ op: "dropout", x: feats[4], y: "x5.drop", slot: 0, mode: "channel" });
  let y = "x5.drop";
  VNET_DECODER.forEach(([name, count], k) => {
    const up = `decoder.${VNET_UPS[k]}`;
    const r = convBnRelu(up, y, `${up}.conv`, `${up}.relu`, [ch[4 - k], ch[3 - k], 2, 2, 2], true);
    layers.push({ op: "add", a: r, b: feats[3 - k], y: `${up}.add` });
    y = stages(`decoder.${name}`, count, `${up}.add`, ch[3 - k], ch[3 - k]);
  });
  layers.push({ op: "dropout", x: y, y: "x9.drop", slot: 0, mode: "channel" });
  layers.push({
    op: "conv",
    name: "decoder.out_conv",
    x: "x9.drop",
    y: "logits",
    shape: [arch.numClasses, ch[0], 1, 1, 1],
    stride: 1,
    pad: 0,
    transpose: false,
  });
  return { arch, rank: 3, layers, logits: "logits" };
}
