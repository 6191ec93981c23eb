import { BatchMatMul, type DataId, getKernel, type KernelBackend, type TensorInfo, util } from "@tensorflow/tfjs-core";

/** What the conv kernels need from a backend: float32 views, scratch tensors, its own MatMul, and disposal. */
export interface KernelIo {
  /** A view of the tensor's float32 data; on wasm it lives in the heap and is invalid after the next alloc. */
  view(t: TensorInfo): Float32Array;
  /** A new float32 tensor of the shape, contents unspecified (wasm does not zero it). */
  alloc(shape: number[]): TensorInfo;
  /** The backend's BatchMatMul on rank-2 infos: op(a)·op(b) → [rows, cols]. */
  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo;
  dispose(t: TensorInfo): void;
}

interface WasmLike extends KernelBackend {
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
}
interface CpuLike extends KernelBackend {
  data: { get(dataId: DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
}

/** Adapts the wasm or cpu backend instance (the `backend` a kernelFunc receives) to KernelIo. */
export function kernelIo(kernelBackend: unknown, backendName: string): KernelIo {
  const backend = kernelBackend as KernelBackend;
  const matMulKernel = getKernel(BatchMatMul, backendName);
  if (matMulKernel === undefined) throw new Error(`kernelIo: backend ${backendName} has no BatchMatMul kernel`);
  const matMul = (a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo =>
    matMulKernel.kernelFunc({ inputs: { a, b }, attrs: { transposeA, transposeB }, backend }) as TensorInfo;
  const dispose = (t: TensorInfo): void => {
    backend.disposeData(t.dataId);
  };
  if ("typedArrayFromHeap" in backend) {
    const wasm = backend as WasmLike;
    return {
      view: (t) => wasm.typedArrayFromHeap({ ...t, dtype: "float32" }),
      alloc: (shape) => wasm.makeOutput(shape, "float32"),
      matMul,
      dispose,
    };
  }
  const cpu = backend as CpuLike;
  return {
    view: (t) => cpu.data.get(t.dataId).values,
    alloc: (shape) => cpu.makeTensorInfo(shape, "float32", new Float32Array(util.sizeFromShape(shape))),
    matMul,
    dispose,
  };
}
