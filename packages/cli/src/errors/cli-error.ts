import { BcpError, type ErrorKind } from "@bcpseg/core";

/** Stable codes of the CLI's own errors. */
export type CliErrorCode = "ERR_USAGE" | "ERR_CONFIG" | "ERR_INPUT" | "ERR_RUNTIME";

const KIND: Readonly<Record<CliErrorCode, ErrorKind>> = {
  ERR_USAGE: "usage",
  ERR_CONFIG: "usage",
  ERR_INPUT: "input",
  ERR_RUNTIME: "internal",
};

/** An error the CLI raises itself; its kind gives the exit code, like every package's errors. */
export class CliError extends BcpError<CliErrorCode> {
  constructor(code: CliErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(code, message, { kind: KIND[code], ...options });
    this.name = "CliError";
  }
}

/** A usage error (unknown flag, missing argument): exit 2. */
export const usageError = (message: string): CliError => new CliError("ERR_USAGE", message);
/** A configuration error (invalid config file or flag value): exit 2. */
export const configError = (message: string, details?: unknown): CliError =>
  new CliError("ERR_CONFIG", message, { details });
/** A bad input file or folder: exit 3. */
export const inputError = (message: string, cause?: unknown): CliError => new CliError("ERR_INPUT", message, { cause });
