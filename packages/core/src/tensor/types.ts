/** Floating-point buffers core accepts (images, logits, probabilities). */
export type FloatArray = Float32Array | Float64Array;
/** Integer buffers core accepts for label maps and masks. */
export type IntArray = Uint8Array | Uint16Array | Int8Array | Int16Array | Int32Array | Uint32Array;
/** Any numeric typed array. */
export type NumArray = FloatArray | IntArray;
/** A row-major shape; layouts are named where it is taken (`[N, C, H, W]`, `[X, Y, Z]`, ...). */
export type Shape = readonly number[];
/** A typed array with its row-major shape. */
export interface Tensor<T extends NumArray = NumArray> {
  readonly data: T;
  readonly shape: Shape;
}
