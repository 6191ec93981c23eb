export {
  BCP_BATCH_NORM_TRAIN,
  BCP_BATCH_NORM_TRAIN_GRAD,
  batchNormTrainKernelConfigs,
} from "./batch-norm-train.ts";
export { type ConvGeometry, geometry2d, geometry3d, patchSize } from "./conv-geometry.ts";
export { convBackpropFilter, convBackpropInput, convForward } from "./conv-im2col.ts";
export { convBackpropFilterStride1, convBackpropInputStride1, isStride1Conv2d } from "./conv-stride1.ts";
export { conv2dKernelConfigs } from "./conv2d-kernels.ts";
export { conv3dKernelConfigs } from "./conv3d-kernels.ts";
export { identityNoCopyKernelConfig } from "./identity-no-copy.ts";
export { col2im, im2col } from "./im2col.ts";
export { type KernelIo, kernelIo } from "./kernel-io.ts";
export { leakyReluKernelConfig } from "./leaky-relu.ts";
export { BCP_LEAKY_RELU_GRAD, leakyReluGradKernelConfig } from "./leaky-relu-grad.ts";
export { maxPoolGradKernelConfigs } from "./max-pool-grad.ts";
export { configsFor, KERNEL_PLAN, registerMissingKernels } from "./register-missing-kernels.ts";
export { resizeBilinearGradShapeFix } from "./resize-bilinear-grad.ts";
export { splitLastAxisKernelConfig } from "./split-last-axis.ts";
export { sumLeadingAxesKernelConfig } from "./sum-leading-axes.ts";
