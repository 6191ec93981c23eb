import type { OrtModule } from "@bcpseg/core/onnx";
import * as ortWasm from "onnxruntime-web/wasm";

export type { OrtModule, OrtSession, OrtTensor } from "@bcpseg/core/onnx";

/** onnxruntime-web's CPU-only wasm build (no WebGPU/WebGL code, one ~14 MB .wasm): the edge API's default binding. */
export const defaultOrt: OrtModule = ortWasm;
