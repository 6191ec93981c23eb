import * as ortWasm from "onnxruntime-web/wasm";

/** The part of an onnxruntime JavaScript binding the edge API uses (onnxruntime-web's wasm build by default). */
export type OrtModule = Pick<typeof ortWasm, "InferenceSession" | "Tensor" | "env">;
export type OrtSession = ortWasm.InferenceSession;
export type OrtTensor = ortWasm.Tensor;

/** onnxruntime-web's CPU-only wasm build (no WebGPU/WebGL code, one ~14 MB .wasm). */
export const defaultOrt: OrtModule = ortWasm;
