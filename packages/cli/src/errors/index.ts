export { CliError, type CliErrorCode, configError, inputError, usageError } from "./cli-error.ts";
export { describeError, type ErrorDescription, oneLine } from "./describe-error.ts";
export { EXIT, type ExitCode } from "./exit-codes.ts";
