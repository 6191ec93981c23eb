import { type ArchSpec, archChannels } from "./arch-spec.ts";

/** Kind of a state-dict entry: conv weight/bias or BatchNorm affine/statistic. */
export type ParamKind = "weight" | "bias" | "bn.weight" | "bn.bias" | "bn.running_mean" | "bn.running_var";

/**
 * The float state-dict entries of `arch`'s encoder and decoder with their PyTorch shapes, in state-dict order
 * (num_batches_tracked and the unused heads are left out). Width 1 reproduces the official shapes
 * (schedules_and_shapes.json › unet_2d / vnet_3d).
 */
export function torchParamShapes(arch: ArchSpec): Map<string, { shape: number[]; kind: ParamKind }> {
  const ch = archChannels(arch, "torchParamShapes");
  const out = new Map<string, { shape: number[]; kind: ParamKind }>();
  const conv = (p: string, shape: number[], transposed = false) => {
    out.set(`${p}.weight`, { shape, kind: "weight" });
    out.set(`${p}.bias`, { shape: [shape[transposed ? 1 : 0]], kind: "bias" });
  };
  const bn = (p: string, c: number) => {
    for (const k of ["weight", "bias", "running_mean", "running_var"] as const)
      out.set(`${p}.${k}`, { shape: [c], kind: `bn.${k}` });
  };
  if (arch.kind === "unet2d") {
    const block = (p: string, cin: number, cout: number) => {
      conv(`${p}.conv_conv.0`, [cout, cin, 3, 3]);
      bn(`${p}.conv_conv.1`, cout);
      conv(`${p}.conv_conv.4`, [cout, cout, 3, 3]);
      bn(`${p}.conv_conv.5`, cout);
    };
    block("encoder.in_conv", arch.inChannels, ch[0]);
    for (let k = 1; k <= 4; k++) block(`encoder.down${k}.maxpool_conv.1`, ch[k - 1], ch[k]);
    for (let k = 1; k <= 4; k++) {
      conv(`decoder.up${k}.conv1x1`, [ch[4 - k], ch[5 - k], 1, 1]);
      block(`decoder.up${k}.conv`, 2 * ch[4 - k], ch[4 - k]);
    }
    conv("decoder.out_conv", [arch.numClasses, ch[0], 3, 3]);
    return out;
  }
  const k3 = [3, 3, 3];
  const stages = (p: string, n: number, cin: number, cout: number) => {
    for (let i = 0; i < n; i++) {
      conv(`${p}.conv.${3 * i}`, [cout, i === 0 ? cin : cout, ...k3]);
      bn(`${p}.conv.${3 * i + 1}`, cout);
    }
  };
  const enc = ["block_one", "block_two", "block_three", "block_four", "block_five"];
  const encN = [1, 2, 3, 3, 3];
  enc.forEach((b, k) => {
    stages(`encoder.${b}`, encN[k], k === 0 ? arch.inChannels : ch[k], ch[k]);
    if (k < 4) {
      conv(`encoder.${b}_dw.conv.0`, [ch[k + 1], ch[k], 2, 2, 2]);
      bn(`encoder.${b}_dw.conv.1`, ch[k + 1]);
    }
  });
  const dec = ["block_six", "block_seven", "block_eight", "block_nine"];
  const decN = [3, 3, 2, 1];
  const ups = ["block_five_up", "block_six_up", "block_seven_up", "block_eight_up"];
  dec.forEach((b, k) => {
    conv(`decoder.${ups[k]}.conv.0`, [ch[4 - k], ch[3 - k], 2, 2, 2], true);
    bn(`decoder.${ups[k]}.conv.1`, ch[3 - k]);
    stages(`decoder.${b}`, decN[k], ch[3 - k], ch[3 - k]);
  });
  conv("decoder.out_conv", [arch.numClasses, ch[0], 1, 1, 1]);
  return out;
}
