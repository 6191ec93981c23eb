export { assertOnnxGraphHash, checkOnnxGraphHash, type OnnxGraphHashCheck } from "./check-onnx-graph-hash.ts";
export { ONNX_METADATA_KEYS, ONNX_PRODUCER_NAME } from "./onnx-metadata-keys.ts";
export type { OrtModule, OrtSession, OrtTensor } from "./ort-module.ts";
export { type OnnxMetadata, readOnnxMetadata } from "./read-onnx-metadata.ts";
export { sha256Hex } from "./sha256.ts";
