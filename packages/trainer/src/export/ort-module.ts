import type * as OrtWeb from "onnxruntime-web";

/**
 * The part of an onnxruntime JavaScript binding that bcpseg uses. onnxruntime-web and onnxruntime-node both
 * satisfy it (they share onnxruntime-common), so calibration can run on either.
 */
export type OrtModule = Pick<typeof OrtWeb, "InferenceSession" | "Tensor">;

/** onnxruntime-web, imported on first use (a trainer dependency; wasm EP, runs in Node too). */
export async function defaultOrt(): Promise<OrtModule> {
  return (await import("onnxruntime-web")) as OrtModule;
}
