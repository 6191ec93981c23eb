import { checkData, checkShape, type NumArray, type Shape } from "@bcpseg/core";

// tfjs kernels are [k..., in, out] (conv) or [k..., out, in] (conv transpose); PyTorch stores [out, in, k...]
// (conv) and [in, out, k...] (conv transpose). Both map by the same axis permutation: the last two axes swap and
// move to the front. Rank 2 (dense [in, out] ↔ Linear [out, in]) is the same rule; rank 0 and 1 are unchanged.

/** Axis permutation taking a tfjs weight of the given rank to PyTorch order (torch axis i = tfjs axis perm[i]). */
function toTorchPerm(rank: number): number[] {
  if (rank < 2) return Array.from({ length: rank }, (_, i) => i);
  return [rank - 1, rank - 2, ...Array.from({ length: rank - 2 }, (_, i) => i)];
}

/** Inverse permutation: PyTorch weight axes to tfjs order. */
function fromTorchPerm(rank: number): number[] {
  const p = toTorchPerm(rank);
  const inv = new Array<number>(rank);
  for (let i = 0; i < rank; i++) inv[p[i]] = i;
  return inv;
}

/** PyTorch shape of a tfjs weight shape ([kh, kw, in, out] → [out, in, kh, kw]). */
export function toTorchShape(shape: Shape): number[] {
  return toTorchPerm(shape.length).map((a) => shape[a]);
}

/** tfjs shape of a PyTorch weight shape ([out, in, kh, kw] → [kh, kw, in, out]). */
export function fromTorchShape(shape: Shape): number[] {
  return fromTorchPerm(shape.length).map((a) => shape[a]);
}

/** A weight buffer with its row-major shape. */
export interface LayoutTensor<T extends NumArray = NumArray> {
  readonly data: T;
  readonly shape: number[];
}

/** Converts a row-major tfjs-layout weight (channels-last kernel) to PyTorch layout; returns a fresh buffer. */
export function toTorchLayout<T extends NumArray>(data: T, shape: Shape): LayoutTensor<T> {
  checkShapeOrScalar("toTorchLayout", shape);
  checkData("toTorchLayout", "data", data, shape);
  return permute(data, shape, toTorchPerm(shape.length));
}

/** Converts a row-major PyTorch-layout weight to tfjs layout (channels-last kernel); returns a fresh buffer. */
export function fromTorchLayout<T extends NumArray>(data: T, shape: Shape): LayoutTensor<T> {
  checkShapeOrScalar("fromTorchLayout", shape);
  checkData("fromTorchLayout", "data", data, shape);
  return permute(data, shape, fromTorchPerm(shape.length));
}

function checkShapeOrScalar(fn: string, shape: Shape): void {
  if (Array.isArray(shape) && shape.length === 0) return;
  checkShape(fn, "shape", shape);
}

/** Row-major transpose: out axis i is input axis perm[i]. */
function permute<T extends NumArray>(data: T, shape: Shape, perm: number[]): LayoutTensor<T> {
  const rank = shape.length;
  const outShape = perm.map((a) => shape[a]);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  if (rank < 2) {
    out.set(data);
    return { data: out, shape: outShape };
  }
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  // Stride in the input of each output axis; walk the output in order with an odometer.
  const stride = perm.map((a) => inStrides[a]);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]++;
      src += stride[ax];
      if (idx[ax] < outShape[ax]) break;
      src -= stride[ax] * outShape[ax];
      idx[ax] = 0;
    }
  }
  return { data: out, shape: outShape };
}
