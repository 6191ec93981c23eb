export { type ConvGeometry, geometry2d, geometry3d, patchSize } from "./conv-geometry.ts";
export { convBackpropFilter, convBackpropInput, convForward } from "./conv-im2col.ts";
export { conv2dKernelConfigs } from "./conv2d-kernels.ts";
export { conv3dKernelConfigs } from "./conv3d-kernels.ts";
export { col2im, im2col } from "./im2col.ts";
export { type KernelIo, kernelIo } from "./kernel-io.ts";
export { maxPoolGradKernelConfigs } from "./max-pool-grad.ts";
export { configsFor, KERNEL_PLAN, registerMissingKernels } from "./register-missing-kernels.ts";
export { resizeBilinearGradShapeFix } from "./resize-bilinear-grad.ts";
