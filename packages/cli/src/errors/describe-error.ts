import { type ErrorKind, isBcpError, issuesLine, isZodError, zodIssues } from "@bcpseg/core";
import { EXIT, type ExitCode } from "./exit-codes.ts";

/** What the entry point prints and returns for a failure. */
export interface ErrorDescription {
  readonly exit: ExitCode;
  /** The error's stable code (ERR_...), or ERR_INTERNAL for an unexpected error. */
  readonly code: string;
  /** One line: no stack, no newlines. */
  readonly message: string;
}

// The exit code of every coded error, by its kind (the exit codes are documented in the README).
const EXIT_OF: Readonly<Record<ErrorKind, ExitCode>> = {
  input: EXIT.input,
  integrity: EXIT.input,
  usage: EXIT.usage,
  unavailable: EXIT.failure,
  internal: EXIT.failure,
};
// Node system errors about a path the user named.
const FS_REASON: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  ENOTDIR: "not a folder",
  EISDIR: "is a folder",
};

/** Maps any thrown value to an exit code, its code and one readable line (citty-style: only main exits). */
export function describeError(e: unknown): ErrorDescription {
  if (isBcpError(e)) return { exit: EXIT_OF[e.kind], code: e.code, message: oneLine(e.message || e.name) };
  if (isZodError(e)) return { exit: EXIT.usage, code: "ERR_CONFIG", message: oneLine(issuesLine(zodIssues(e), 4)) };
  const err = e instanceof Error ? e : new Error(String(e));
  const line = oneLine(err.message || err.name);
  const { code, path } = err as { code?: unknown; path?: unknown };
  if (typeof code === "string" && code in FS_REASON) {
    return { exit: EXIT.input, code, message: typeof path === "string" ? `${FS_REASON[code]}: ${path}` : line };
  }
  return { exit: EXIT.failure, code: typeof code === "string" ? code : "ERR_INTERNAL", message: line };
}

/** Collapses a message to one line of at most 400 characters. */
export function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, "; ").trim();
  return flat.length > 400 ? `${flat.slice(0, 397)}...` : flat;
}
