import type { OrtModule } from "@bcpseg/core/onnx";

export type { OrtModule } from "@bcpseg/core/onnx";

/** onnxruntime-web, imported on first use (a trainer dependency; wasm EP, runs in Node too). */
export async function defaultOrt(): Promise<OrtModule> {
  return await import("onnxruntime-web");
}
