import { EXIT, type ExitCode } from "./exit-codes.ts";

/** Stable codes of the CLI's own errors. */
export type CliErrorCode = "ERR_USAGE" | "ERR_CONFIG" | "ERR_INPUT" | "ERR_RUNTIME";

const EXIT_OF: Record<CliErrorCode, ExitCode> = {
  ERR_USAGE: EXIT.usage,
  ERR_CONFIG: EXIT.usage,
  ERR_INPUT: EXIT.input,
  ERR_RUNTIME: EXIT.failure,
};

/** An error the CLI raises itself; `exit` is the process exit code it maps to. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exit: ExitCode;
  readonly details: unknown;

  constructor(code: CliErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.exit = EXIT_OF[code];
    this.details = options.details;
  }
}

/** A usage error (unknown flag, missing argument): exit 2. */
export const usageError = (message: string): CliError => new CliError("ERR_USAGE", message);
/** A configuration error (invalid config file or flag value): exit 2. */
export const configError = (message: string, details?: unknown): CliError =>
  new CliError("ERR_CONFIG", message, { details });
/** A bad input file or folder: exit 3. */
export const inputError = (message: string, cause?: unknown): CliError => new CliError("ERR_INPUT", message, { cause });
