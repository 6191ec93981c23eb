/** Stable codes of export / model-file errors; the CLI branches on `code`, never on text. */
export type ExportErrorCode = "ERR_MODEL_CORRUPT" | "ERR_MODEL_WEIGHTS" | "ERR_MODEL_ARGUMENT" | "ERR_MODEL_WRITE";

/** A model that cannot be exported, written or read back; `code` says which. */
export class ExportError extends Error {
  readonly code: ExportErrorCode;
  readonly fn: string;
  readonly details: unknown;

  constructor(
    code: ExportErrorCode,
    fn: string,
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(`${fn}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ExportError";
    this.code = code;
    this.fn = fn;
    this.details = options.details;
  }
}

/** True for an {@link ExportError} (also across duplicated installs). */
export function isExportError(e: unknown): e is ExportError {
  return (
    e instanceof ExportError ||
    (e instanceof Error && e.name === "ExportError" && typeof (e as { code?: unknown }).code === "string")
  );
}
