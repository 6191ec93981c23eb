import { BcpError, type ErrorKind } from "@bcpseg/core";

/** Stable codes of training errors; the CLI branches on `code`, never on text. */
export type TrainErrorCode =
  | "ERR_CHECKPOINT_FORMAT"
  | "ERR_CHECKPOINT_MISMATCH"
  | "ERR_CHECKPOINT_MISSING"
  | "ERR_TRAIN_BACKEND"
  | "ERR_TRAIN_DATA"
  | "ERR_TRAIN_DIVERGED";

const KIND: Readonly<Record<TrainErrorCode, ErrorKind>> = {
  ERR_CHECKPOINT_FORMAT: "integrity",
  ERR_CHECKPOINT_MISMATCH: "usage",
  ERR_CHECKPOINT_MISSING: "input",
  ERR_TRAIN_BACKEND: "usage",
  ERR_TRAIN_DATA: "input",
  ERR_TRAIN_DIVERGED: "internal",
};

/** A training-run failure: a malformed or incompatible checkpoint, unusable data, a diverged loss. */
export class TrainError extends BcpError<TrainErrorCode> {
  constructor(code: TrainErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(code, message, { kind: KIND[code], ...options });
    this.name = "TrainError";
  }
}
