/** Codes of a model that cannot be served. */
export type ModelLoadCode =
  | "ERR_MODEL_FORMAT"
  | "ERR_MODEL_CONTRACT"
  | "ERR_MODEL_CORRUPT"
  | "ERR_MODEL_SESSION"
  | "ERR_MODEL_ARGUMENT";

/**
 * A model refused at start: not ONNX, no valid `bcpseg.contract`, a graph that does not hash to its `bcpseg.sha256`
 * (ERR_MODEL_CORRUPT, as the trainer's loadOnnxModel), or onnxruntime cannot open it.
 */
export class ModelLoadError extends Error {
  readonly code: ModelLoadCode;
  readonly details: unknown;

  constructor(code: ModelLoadCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelLoadError";
    this.code = code;
    this.details = options.details;
  }
}
