import { BcpError, isBcpError } from "@bcpseg/core";

/** Stable codes of dataset errors; the CLI branches on `code`, never on text. */
export type DataErrorCode =
  | "ERR_DATA_MISSING"
  | "ERR_DATA_UNREADABLE"
  | "ERR_DATA_SHAPE_MISMATCH"
  | "ERR_DATA_LABEL_VALUES"
  | "ERR_DATA_LAYOUT";

/** A dataset file that is missing, unreadable or inconsistent (kind input); `file` names it. */
export class DataError extends BcpError<DataErrorCode> {
  readonly file: string | undefined;

  constructor(
    code: DataErrorCode,
    message: string,
    options: { file?: string; details?: unknown; cause?: unknown } = {},
  ) {
    const { file, ...rest } = options;
    super(code, file === undefined ? message : `${file}: ${message}`, { kind: "input", ...rest });
    this.name = "DataError";
    this.file = file;
  }
}

/** True for a {@link DataError} (also across duplicated installs). */
export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError || (isBcpError(e) && e.code.startsWith("ERR_DATA_"));
}
