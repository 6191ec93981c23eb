/** Stable codes of training errors; the CLI branches on `code`, never on text. */
export type TrainErrorCode =
  | "ERR_CHECKPOINT_FORMAT"
  | "ERR_CHECKPOINT_MISMATCH"
  | "ERR_CHECKPOINT_MISSING"
  | "ERR_TRAIN_BACKEND"
  | "ERR_TRAIN_DATA"
  | "ERR_TRAIN_DIVERGED";

/** A training-run failure: a malformed or incompatible checkpoint, unusable data, a diverged loss. */
export class TrainError extends Error {
  readonly code: TrainErrorCode;
  readonly details: unknown;

  constructor(code: TrainErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TrainError";
    this.code = code;
    this.details = options.details;
  }
}
