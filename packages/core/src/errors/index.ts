export {
  ArgumentError,
  BcpError,
  type BcpErrorCode,
  type BcpErrorOptions,
  DtypeError,
  isBcpError,
  ShapeError,
} from "./bcp-error.ts";
export { ERROR_KINDS, type ErrorKind } from "./error-kind.ts";
export { type Issue, issuesLine, isZodError, type ZodIssuesOptions, zodIssues } from "./zod-issues.ts";
