export { checkData, checkFloat, checkRange, checkSameShape, checkShape, sizeOf } from "./check.ts";
export { reverseAxes } from "./reverse-axes.ts";
export { argmaxChannels, logSoftmax, softmax } from "./softmax.ts";
export type { FloatArray, IntArray, NumArray, Shape, Tensor } from "./types.ts";
