import { createUNet2d, createVNet3d, type SegmentationModel } from "../models/index.ts";
import type { TrainConfig } from "./config.ts";

/** The network a config names (U-Net 2D or V-Net 3D, one input channel, `classes` outputs) with its init seed. */
export function createModel(config: TrainConfig, seed: number): SegmentationModel<unknown> {
  const { arch, width, dropout } = config.model;
  return arch === "unet2d"
    ? (createUNet2d({ inChannels: 1, numClasses: config.classes, width, seed }) as SegmentationModel<unknown>)
    : (createVNet3d({ inChannels: 1, numClasses: config.classes, width, dropout, seed }) as SegmentationModel<unknown>);
}
