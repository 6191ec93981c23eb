export { checkData, checkFloat, checkRange, checkSameShape, checkShape, sizeOf } from "./check.ts";
export type { FloatArray, IntArray, NumArray, Shape, Tensor } from "./types.ts";
