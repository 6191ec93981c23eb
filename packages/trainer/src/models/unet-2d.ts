import { ArgumentError, createRng, ShapeError } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { addBatchNorm, applyBatchNorm } from "../nn/batch-norm-layer.ts";
import { addConv, applyConv } from "../nn/conv-layer.ts";
import { applyDropout } from "../nn/dropout-layer.ts";
import type { ForwardContext } from "../nn/forward-context.ts";
import { ParamStore } from "../nn/param-store.ts";
import { checkCount, checkSeed, scaleChannels } from "./model-options.ts";
import { buildModel, type SegmentationModel } from "./segmentation-model.ts";

export interface UNet2dOptions {
  /** Input channels (ACDC: 1). */
  readonly inChannels?: number;
  /** Output classes incl. background (ACDC: 4). */
  readonly numClasses?: number;
  /** Multiplier on the feature channels [16, 32, 64, 128, 256] (1 = official). */
  readonly width?: number;
  /** Dropout of the five encoder blocks (official [0.05, 0.1, 0.2, 0.3, 0.5]). */
  readonly dropout?: readonly number[];
  /** Seed of the initialisation and of the model's own dropout stream. */
  readonly seed?: number;
}

export interface UNet2dConfig {
  readonly inChannels: number;
  readonly numClasses: number;
  readonly width: number;
  readonly channels: readonly number[];
  readonly dropout: readonly number[];
  readonly seed: number;
}

const FN = "createUNet2d";
const BASE = [16, 32, 64, 128, 256];
const ENCODER = ["encoder.in_conv", ...[1, 2, 3, 4].map((k) => `encoder.down${k}.maxpool_conv.1`)];

/**
 * The official ACDC 2D U-Net (`UNet_2d` in code/networks/unet.py), encoder and decoder only (the unused projection,
 * prediction and contrastive heads are omitted). Input [N, H, W, inChannels] float32 with H, W divisible by 16;
 * output logits [N, H, W, numClasses]. Parameters are named as the PyTorch state dict.
 */
export function createUNet2d(options: UNet2dOptions = {}): SegmentationModel<UNet2dConfig> {
  const { inChannels = 1, numClasses = 4, width = 1, dropout = [0.05, 0.1, 0.2, 0.3, 0.5], seed = 0 } = options;
  checkCount(FN, "options.inChannels", inChannels);
  checkCount(FN, "options.numClasses", numClasses);
  if (!Array.isArray(dropout) || dropout.length !== 5 || dropout.some((p) => !(p >= 0 && p < 1))) {
    throw new ArgumentError(FN, "options.dropout", `must be five probabilities in [0, 1), got ${String(dropout)}`);
  }
  checkSeed(FN, seed);
  const ch = scaleChannels(FN, BASE, width);
  const base = createRng(seed);
  const rng = base.fork();
  const store = new ParamStore();

  const addBlock = (name: string, cin: number, cout: number) => {
    addConv(store, rng, `${name}.conv_conv.0`, "conv2d", cin, cout, 3);
    addBatchNorm(store, `${name}.conv_conv.1`, cout);
    addConv(store, rng, `${name}.conv_conv.4`, "conv2d", cout, cout, 3);
    addBatchNorm(store, `${name}.conv_conv.5`, cout);
  };
  ENCODER.forEach((name, k) => {
    addBlock(name, k === 0 ? inChannels : ch[k - 1], ch[k]);
  });
  for (let k = 1; k <= 4; k++) {
    const [c1, c2] = [ch[5 - k], ch[4 - k]];
    addConv(store, rng, `decoder.up${k}.conv1x1`, "conv2d", c1, c2, 1);
    addBlock(`decoder.up${k}.conv`, 2 * c2, c2);
  }
  addConv(store, rng, "decoder.out_conv", "conv2d", ch[0], numClasses, 3);

  // ConvBlock: conv3x3 → BN → LeakyReLU(0.01) → Dropout(p) → conv3x3 → BN → LeakyReLU(0.01).
  const block = (name: string, x: tf.Tensor, p: number, ctx: ForwardContext) => {
    let y = tf.leakyRelu(
      applyBatchNorm(store, `${name}.conv_conv.1`, applyConv(store, `${name}.conv_conv.0`, x), ctx),
      0.01,
    );
    y = applyDropout(y, p, ctx, "element");
    return tf.leakyRelu(
      applyBatchNorm(store, `${name}.conv_conv.5`, applyConv(store, `${name}.conv_conv.4`, y), ctx),
      0.01,
    );
  };
  const forward = (x: tf.Tensor, ctx: ForwardContext) => {
    const feats: tf.Tensor[] = [];
    for (let k = 0; k < 5; k++) {
      const input = k === 0 ? x : tf.maxPool(feats[k - 1] as tf.Tensor4D, 2, 2, "valid");
      feats.push(block(ENCODER[k], input, dropout[k], ctx));
    }
    let y = feats[4];
    for (let k = 1; k <= 4; k++) {
      // UpBlock: conv1x1 → bilinear ×2 (align_corners=True) → cat([skip, up]) → ConvBlock(p = 0).
      const up = applyConv(store, `decoder.up${k}.conv1x1`, y) as tf.Tensor4D;
      const resized = tf.image.resizeBilinear(up, [up.shape[1] * 2, up.shape[2] * 2], true);
      y = block(`decoder.up${k}.conv`, tf.concat([feats[4 - k], resized], 3), 0, ctx);
    }
    return applyConv(store, "decoder.out_conv", y);
  };
  const checkInput = (input: tf.Tensor) => {
    const [n, h, w, c] = input.shape;
    if (input.rank !== 4 || c !== inChannels || h % 16 !== 0 || w % 16 !== 0 || n < 1 || h < 16 || w < 16) {
      throw new ShapeError(
        "unet2d.apply",
        "input",
        `must be [N, H, W, ${inChannels}] with H, W positive multiples of 16, got [${input.shape}]`,
      );
    }
  };
  const config: UNet2dConfig = { inChannels, numClasses, width, channels: ch, dropout: [...dropout], seed };
  return buildModel("unet2d", config, store, base.fork(), checkInput, forward);
}
