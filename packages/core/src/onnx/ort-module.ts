import type * as OrtCommon from "onnxruntime-common";

/**
 * The part of an onnxruntime JavaScript binding bcpseg uses. onnxruntime-web (every build) and onnxruntime-node both
 * satisfy it: they re-export onnxruntime-common's `InferenceSession`, `Tensor` and `env`. A type only: core imports
 * no onnxruntime code, and `onnxruntime-common` is an optional peer that either binding brings.
 */
export type OrtModule = Pick<typeof OrtCommon, "InferenceSession" | "Tensor" | "env">;
/** A session of an {@link OrtModule}. */
export type OrtSession = OrtCommon.InferenceSession;
/** A tensor of an {@link OrtModule}. */
export type OrtTensor = OrtCommon.Tensor;
