import {
  BatchMatMul,
  type DataId,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";

/** What the conv kernels need from a backend: float32 views, scratch tensors, its own kernels, and disposal. */
export interface KernelIo {
  /** A view of the tensor's float32 data; on wasm it lives in the heap and is invalid after the next alloc. */
  view(t: TensorInfo): Float32Array;
  /** A new float32 tensor of the shape, contents unspecified (wasm does not zero it). */
  alloc(shape: number[]): TensorInfo;
  /** The backend's BatchMatMul on rank-2 infos: op(a)·op(b) → [rows, cols]. */
  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo;
  dispose(t: TensorInfo): void;
  /**
   * A float32 tensor of `shape` that shares t's memory from element `offset` on (no copy). Read-only for the callee;
   * valid while t lives; free it with `release`, never `dispose`.
   */
  alias(t: TensorInfo, offset: number, shape: number[]): TensorInfo;
  release(alias: TensorInfo): void;
  /** Runs the backend's own kernel `name` (e.g. Transpose, PadV2, Conv2D); throws if it has none. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo;
}

interface WasmLike extends KernelBackend {
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: "float32", memoryOffset?: number): TensorInfo;
  dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number }; delete(dataId: DataId): void };
  wasm: { tfjs: { disposeData(id: number): void } };
}
interface CpuLike extends KernelBackend {
  data: { get(dataId: DataId): { values: Float32Array }; delete(dataId: DataId): void };
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
  const run = (name: string, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo => {
    const kernel = getKernel(name, backendName);
    if (kernel === undefined) throw new Error(`kernelIo: backend ${backendName} has no ${name} kernel`);
    return kernel.kernelFunc({ inputs, attrs: attrs as NamedAttrMap, backend }) as TensorInfo;
  };
  if ("typedArrayFromHeap" in backend) {
    const wasm = backend as WasmLike;
    return {
      view: (t) => wasm.typedArrayFromHeap({ ...t, dtype: "float32" }),
      alloc: (shape) => wasm.makeOutput(shape, "float32"),
      matMul,
      dispose,
      // An alias is a second tensor id registered on the same heap bytes; releasing it unregisters the id (which also
      // drops XNNPACK operators cached on it) without freeing the memory.
      alias: (t, offset, shape) =>
        wasm.makeOutput(shape, "float32", wasm.dataIdMap.get(t.dataId).memoryOffset + 4 * offset),
      release: (a) => {
        wasm.wasm.tfjs.disposeData(wasm.dataIdMap.get(a.dataId).id);
        wasm.dataIdMap.delete(a.dataId);
      },
      run,
    };
  }
  const cpu = backend as CpuLike;
  return {
    view: (t) => cpu.data.get(t.dataId).values,
    alloc: (shape) => cpu.makeTensorInfo(shape, "float32", new Float32Array(util.sizeFromShape(shape))),
    matMul,
    dispose,
    alias: (t, offset, shape) =>
      cpu.makeTensorInfo(
        shape,
        "float32",
        cpu.data.get(t.dataId).values.subarray(offset, offset + util.sizeFromShape(shape)),
      ),
    release: (a) => cpu.data.delete(a.dataId),
    run,
  };
}
