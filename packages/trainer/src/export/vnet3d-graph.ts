import { VNET_DECODER as DECODER, VNET_ENCODER as ENCODER, VNET_UPS as UPS } from "../models/vnet-3d-layout.ts";
import { type ArchSpec, archChannels, type TorchWeights } from "./arch-spec.ts";
import type { NetGraph, NetOp } from "./net-ops.ts";
import { WeightReader } from "./torch-weights.ts";

/**
 * The official 3D V-Net (`VNet(normalization='batchnorm')` in the BCP code's code/networks/VNet.py: 16 base filters
 * at width 1; blocks of 1, 2, 3, 3, 3 convolutions down and 3, 3, 2, 1 up) in eval mode from PyTorch-layout
 * weights: stages of conv3x3x3 + folded BN → ReLU; _dw = conv k2 s2 + BN → ReLU; _up = ConvTranspose k2 s2 + BN →
 * ReLU, then + skip; out_conv 1x1x1. Dropout3d is the identity in eval mode; the unused pooled-x5 output is not
 * exported.
 */
export function vnet3dGraph(arch: ArchSpec, weights: TorchWeights, options: { bnEps?: number } = {}): NetGraph {
  const fn = "vnet3dGraph";
  const ch = archChannels(arch, fn);
  const r = new WeightReader(weights, fn);
  const eps = options.bnEps ?? 1e-5;
  const ops: NetOp[] = [];
  const convRelu = (name: string, x: string, cin: number, cout: number, k: number, transpose = false): string => {
    const shape = transpose ? [cin, cout, k, k, k] : [cout, cin, k, k, k];
    const c = r.convBn(`${name}.conv.0`, `${name}.conv.1`, shape, transpose, eps);
    const stride = k === 2 ? 2 : 1;
    ops.push({
      op: "conv",
      name: `${name}.conv.0`,
      x,
      y: `${name}.conv`,
      ...c,
      stride,
      pad: k === 3 ? 1 : 0,
      transpose,
    });
    ops.push({ op: "relu", x: `${name}.conv`, y: `${name}.relu` });
    return `${name}.relu`;
  };
  const stages = (name: string, count: number, x: string, cin: number, cout: number): string => {
    for (let i = 0; i < count; i++) {
      const shape = [cout, i === 0 ? cin : cout, 3, 3, 3];
      const c = r.convBn(`${name}.conv.${3 * i}`, `${name}.conv.${3 * i + 1}`, shape, false, eps);
      const y = `${name}.s${i}`;
      ops.push({
        op: "conv",
        name: `${name}.conv.${3 * i}`,
        x,
        y: `${y}.conv`,
        ...c,
        stride: 1,
        pad: 1,
        transpose: false,
      });
      ops.push({ op: "relu", x: `${y}.conv`, y });
      x = y;
    }
    return x;
  };
  const feats: string[] = [];
  ENCODER.forEach(([name, count], k) => {
    const x = k === 0 ? "input" : convRelu(`encoder.${ENCODER[k - 1][0]}_dw`, feats[k - 1], ch[k - 1], ch[k], 2);
    feats.push(stages(`encoder.${name}`, count, x, k === 0 ? arch.inChannels : ch[k], ch[k]));
  });
  let y = feats[4];
  DECODER.forEach(([name, count], k) => {
    const up = convRelu(`decoder.${UPS[k]}`, y, ch[4 - k], ch[3 - k], 2, true);
    ops.push({ op: "add", a: up, b: feats[3 - k], y: `decoder.${UPS[k]}.add` });
    y = stages(`decoder.${name}`, count, `decoder.${UPS[k]}.add`, ch[3 - k], ch[3 - k]);
  });
  const out = r.conv("decoder.out_conv", [arch.numClasses, ch[0], 1, 1, 1]);
  ops.push({ op: "conv", name: "decoder.out_conv", x: y, y: "logits", ...out, stride: 1, pad: 0, transpose: false });
  return { arch, rank: 3, ops, logits: "logits" };
}
