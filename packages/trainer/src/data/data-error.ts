/** Stable codes of dataset errors; the CLI branches on `code`, never on text. */
export type DataErrorCode =
  | "ERR_DATA_MISSING"
  | "ERR_DATA_UNREADABLE"
  | "ERR_DATA_SHAPE_MISMATCH"
  | "ERR_DATA_LABEL_VALUES"
  | "ERR_DATA_LAYOUT";

/** A dataset file that is missing, unreadable or inconsistent; `file` names it. */
export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly file: string | undefined;
  readonly details: unknown;

  constructor(
    code: DataErrorCode,
    message: string,
    options: { file?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(
      options.file === undefined ? message : `${options.file}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "DataError";
    this.code = code;
    this.file = options.file;
    this.details = options.details;
  }
}

/** True for a {@link DataError} (also across duplicated installs). */
export function isDataError(e: unknown): e is DataError {
  return (
    e instanceof DataError ||
    (e instanceof Error && e.name === "DataError" && typeof (e as { code?: unknown }).code === "string")
  );
}
