import { createRng, ShapeError } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { addBatchNorm, applyBatchNorm } from "../nn/batch-norm-layer.ts";
import { addConv, applyConv, applyConvTranspose3dK2 } from "../nn/conv-layer.ts";
import { applyDropout } from "../nn/dropout-layer.ts";
import type { ForwardContext } from "../nn/forward-context.ts";
import { ParamStore } from "../nn/param-store.ts";
import { checkCount, checkSeed, scaleChannels } from "./model-options.ts";
import { buildModel, type SegmentationModel } from "./segmentation-model.ts";
import { VNET_DECODER as DECODER, VNET_ENCODER as ENCODER, VNET_UPS as UPS } from "./vnet-3d-layout.ts";

export interface VNet3dOptions {
  /** Input channels (LA: 1). */
  readonly inChannels?: number;
  /** Output classes incl. background (LA: 2). */
  readonly numClasses?: number;
  /** Multiplier on the 16 base filters (1 = official). */
  readonly width?: number;
  /** `has_dropout`: Dropout3d(0.5) on x5 and x9 in training (official training nets: true). */
  readonly dropout?: boolean;
  /** Seed of the initialisation and of the model's own dropout stream. */
  readonly seed?: number;
}

export interface VNet3dConfig {
  readonly inChannels: number;
  readonly numClasses: number;
  readonly width: number;
  readonly channels: readonly number[];
  readonly dropout: boolean;
  readonly seed: number;
}

const FN = "createVNet3d";

/**
 * The official LA V-Net (`VNet(n_channels=1, n_classes=2, normalization='batchnorm', has_dropout=True)`,
 * code/networks/VNet.py), encoder and decoder only (unused projection, prediction and contrastive heads omitted;
 * returns the segmentation logits, not the unused pooled x5 features). Input [N, X, Y, Z, inChannels] float32 with
 * X, Y, Z divisible by 16; output logits [N, X, Y, Z, numClasses]. Parameters are named as the PyTorch state dict.
 */
export function createVNet3d(options: VNet3dOptions = {}): SegmentationModel<VNet3dConfig> {
  const { inChannels = 1, numClasses = 2, width = 1, dropout = true, seed = 0 } = options;
  checkCount(FN, "options.inChannels", inChannels);
  checkCount(FN, "options.numClasses", numClasses);
  checkSeed(FN, seed);
  const ch = scaleChannels(FN, [16, 32, 64, 128, 256], width);
  const base = createRng(seed);
  const rng = base.fork();
  const store = new ParamStore();

  // Stage i of a block: conv3x3x3 at `.conv.${3i}`, BN at `.conv.${3i + 1}` (ReLU at 3i + 2).
  const addStages = (name: string, stages: number, cin: number, cout: number) => {
    for (let i = 0; i < stages; i++) {
      addConv(store, rng, `${name}.conv.${3 * i}`, "conv3d", i === 0 ? cin : cout, cout, 3);
      addBatchNorm(store, `${name}.conv.${3 * i + 1}`, cout);
    }
  };
  ENCODER.forEach(([name, stages], k) => {
    addStages(`encoder.${name}`, stages, k === 0 ? inChannels : ch[k], ch[k]);
    if (k < 4) {
      addConv(store, rng, `encoder.${name}_dw.conv.0`, "conv3d", ch[k], ch[k + 1], 2);
      addBatchNorm(store, `encoder.${name}_dw.conv.1`, ch[k + 1]);
    }
  });
  DECODER.forEach(([name, stages], k) => {
    addConv(store, rng, `decoder.${UPS[k]}.conv.0`, "convTranspose3d", ch[4 - k], ch[3 - k], 2);
    addBatchNorm(store, `decoder.${UPS[k]}.conv.1`, ch[3 - k]);
    addStages(`decoder.${name}`, stages, ch[3 - k], ch[3 - k]);
  });
  addConv(store, rng, "decoder.out_conv", "conv3d", ch[0], numClasses, 1);

  const stages = (name: string, count: number, x: tf.Tensor, ctx: ForwardContext) => {
    for (let i = 0; i < count; i++) {
      x = tf.relu(
        applyBatchNorm(store, `${name}.conv.${3 * i + 1}`, applyConv(store, `${name}.conv.${3 * i}`, x), ctx),
      );
    }
    return x;
  };
  const forward = (x: tf.Tensor, ctx: ForwardContext) => {
    const feats: tf.Tensor[] = [];
    ENCODER.forEach(([name, count], k) => {
      const input = k === 0 ? x : downsample(`encoder.${ENCODER[k - 1][0]}_dw`, feats[k - 1], ctx);
      feats.push(stages(`encoder.${name}`, count, input, ctx));
    });
    let y = dropout ? applyDropout(feats[4], 0.5, ctx, "channel") : feats[4];
    DECODER.forEach(([name, count], k) => {
      // _up: ConvTranspose3d k2 s2 → BN → ReLU, then the skip is added (not concatenated).
      const up = applyBatchNorm(
        store,
        `decoder.${UPS[k]}.conv.1`,
        applyConvTranspose3dK2(store, `decoder.${UPS[k]}.conv.0`, y),
        ctx,
      );
      y = stages(`decoder.${name}`, count, tf.add(tf.relu(up), feats[3 - k]), ctx);
    });
    if (dropout) y = applyDropout(y, 0.5, ctx, "channel");
    return applyConv(store, "decoder.out_conv", y);
  };
  // _dw: Conv3d k2 s2 → BN → ReLU.
  const downsample = (name: string, x: tf.Tensor, ctx: ForwardContext) =>
    tf.relu(applyBatchNorm(store, `${name}.conv.1`, applyConv(store, `${name}.conv.0`, x, 2), ctx));
  const checkInput = (input: tf.Tensor) => {
    const [n, ...rest] = input.shape;
    const c = rest.pop();
    if (input.rank !== 5 || c !== inChannels || n < 1 || rest.some((d) => d < 16 || d % 16 !== 0)) {
      throw new ShapeError(
        "vnet3d.apply",
        "input",
        `must be [N, X, Y, Z, ${inChannels}] with X, Y, Z positive multiples of 16, got [${input.shape}]`,
      );
    }
  };
  const config: VNet3dConfig = { inChannels, numClasses, width, channels: ch, dropout, seed };
  return buildModel("vnet3d", config, store, base.fork(), checkInput, forward);
}
