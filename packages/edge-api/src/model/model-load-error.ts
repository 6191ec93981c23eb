import { BcpError, type ErrorKind } from "@bcpseg/core";

/** Codes of a model that cannot be served. */
export type ModelLoadCode =
  | "ERR_MODEL_FORMAT"
  | "ERR_MODEL_CONTRACT"
  | "ERR_MODEL_CORRUPT"
  | "ERR_MODEL_SESSION"
  | "ERR_MODEL_ARGUMENT";

const KIND: Readonly<Record<ModelLoadCode, ErrorKind>> = {
  ERR_MODEL_FORMAT: "integrity",
  ERR_MODEL_CONTRACT: "integrity",
  ERR_MODEL_CORRUPT: "integrity",
  ERR_MODEL_SESSION: "unavailable",
  ERR_MODEL_ARGUMENT: "usage",
};

/**
 * A model refused at start: not ONNX, no valid `bcpseg.contract`, a graph that does not hash to its `bcpseg.sha256`
 * (ERR_MODEL_CORRUPT, as the trainer's loadOnnxModel), or onnxruntime cannot open it.
 */
export class ModelLoadError extends BcpError<ModelLoadCode> {
  constructor(code: ModelLoadCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(code, message, { kind: KIND[code], ...options });
    this.name = "ModelLoadError";
  }
}
