import { BcpError, type ErrorKind, isBcpError } from "@bcpseg/core";

/** Stable codes of export / model-file errors; the CLI branches on `code`, never on text. */
export type ExportErrorCode = "ERR_MODEL_CORRUPT" | "ERR_MODEL_WEIGHTS" | "ERR_MODEL_ARGUMENT" | "ERR_MODEL_WRITE";

const KIND: Readonly<Record<ExportErrorCode, ErrorKind>> = {
  ERR_MODEL_CORRUPT: "integrity",
  ERR_MODEL_WEIGHTS: "integrity",
  ERR_MODEL_ARGUMENT: "usage",
  ERR_MODEL_WRITE: "unavailable",
};

/** A model that cannot be exported, written or read back; `code` says which. */
export class ExportError extends BcpError<ExportErrorCode> {
  declare readonly fn: string;

  constructor(
    code: ExportErrorCode,
    fn: string,
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(code, `${fn}: ${message}`, { kind: KIND[code], fn, ...options });
    this.name = "ExportError";
  }
}

/** True for an {@link ExportError} (also across duplicated installs). */
export function isExportError(e: unknown): e is ExportError {
  return e instanceof ExportError || (isBcpError(e) && e.code in KIND);
}
