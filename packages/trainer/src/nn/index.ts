export { addBatchNorm, applyBatchNorm, BN_EPS, BN_MOMENTUM } from "./batch-norm-layer.ts";
export { addConv, applyConv, applyConvTranspose3dK2, type ConvKind } from "./conv-layer.ts";
export { applyDropout } from "./dropout-layer.ts";
export type { ForwardContext } from "./forward-context.ts";
export { registerTrainingGradients, TRAINING_GRADIENTS } from "./gradients/index.ts";
export { type NamedWeights, ParamStore } from "./param-store.ts";
export { fromTorchLayout, fromTorchShape, type LayoutTensor, toTorchLayout, toTorchShape } from "./torch-layout.ts";
export { uniformInit } from "./uniform-init.ts";
