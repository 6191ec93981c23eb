import { type ArchSpec, archChannels, type TorchWeights } from "./arch-spec.ts";
import type { NetGraph, NetOp } from "./net-ops.ts";
import { WeightReader } from "./torch-weights.ts";

const ENCODER = ["encoder.in_conv", ...[1, 2, 3, 4].map((k) => `encoder.down${k}.maxpool_conv.1`)];

/**
 * The official 2D U-Net (`UNet_2d` in the BCP code's code/networks/unet.py: features 16, 32, 64, 128, 256 at width 1)
 * in eval mode from PyTorch-layout weights: ConvBlock = (conv3x3 + folded BN → LeakyReLU 0.01) × 2; down = MaxPool 2
 * → ConvBlock; up = conv1x1 → bilinear ×2 (align_corners) → concat [skip, up] → ConvBlock; out_conv 3x3. Dropout is
 * the identity in eval mode.
 */
export function unet2dGraph(arch: ArchSpec, weights: TorchWeights, options: { bnEps?: number } = {}): NetGraph {
  const fn = "unet2dGraph";
  const ch = archChannels(arch, fn);
  const r = new WeightReader(weights, fn);
  const eps = options.bnEps ?? 1e-5;
  const ops: NetOp[] = [];
  const conv = (
    name: string,
    x: string,
    y: string,
    c: { shape: readonly number[]; weight: Float32Array; bias: Float32Array },
  ) => {
    const pad = (c.shape[2] - 1) / 2;
    ops.push({ op: "conv", name, x, y, ...c, stride: 1, pad, transpose: false });
  };
  const block = (name: string, x: string, cin: number, cout: number): string => {
    conv(
      `${name}.conv_conv.0`,
      x,
      `${name}.conv0`,
      r.convBn(`${name}.conv_conv.0`, `${name}.conv_conv.1`, [cout, cin, 3, 3], false, eps),
    );
    ops.push({ op: "leakyRelu", x: `${name}.conv0`, y: `${name}.act0`, alpha: 0.01 });
    conv(
      `${name}.conv_conv.4`,
      `${name}.act0`,
      `${name}.conv1`,
      r.convBn(`${name}.conv_conv.4`, `${name}.conv_conv.5`, [cout, cout, 3, 3], false, eps),
    );
    ops.push({ op: "leakyRelu", x: `${name}.conv1`, y: `${name}.act1`, alpha: 0.01 });
    return `${name}.act1`;
  };
  const feats: string[] = [];
  ENCODER.forEach((name, k) => {
    let x = "input";
    if (k > 0) {
      x = `${name}.pool`;
      ops.push({ op: "maxPool", x: feats[k - 1], y: x, kernel: 2 });
    }
    feats.push(block(name, x, k === 0 ? arch.inChannels : ch[k - 1], ch[k]));
  });
  let y = feats[4];
  for (let k = 1; k <= 4; k++) {
    const [c1, c2] = [ch[5 - k], ch[4 - k]];
    const p = `decoder.up${k}`;
    conv(`${p}.conv1x1`, y, `${p}.conv1x1`, r.conv(`${p}.conv1x1`, [c2, c1, 1, 1]));
    ops.push({ op: "resize", x: `${p}.conv1x1`, y: `${p}.up`, scale: 2 });
    ops.push({ op: "concat", xs: [feats[4 - k], `${p}.up`], y: `${p}.cat` });
    y = block(`${p}.conv`, `${p}.cat`, 2 * c2, c2);
  }
  conv("decoder.out_conv", y, "logits", r.conv("decoder.out_conv", [arch.numClasses, ch[0], 3, 3]));
  return { arch, rank: 2, ops, logits: "logits" };
}
