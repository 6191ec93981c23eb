export { type ApplyOptions, buildModel, type SegmentationModel } from "./segmentation-model.ts";
export { createUNet2d, type UNet2dConfig, type UNet2dOptions } from "./unet-2d.ts";
export { createVNet3d, type VNet3dConfig, type VNet3dOptions } from "./vnet-3d.ts";
