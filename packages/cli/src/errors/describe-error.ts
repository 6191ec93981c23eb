import { EXIT, type ExitCode } from "./exit-codes.ts";

/** What the entry point prints and returns for a failure. */
export interface ErrorDescription {
  readonly exit: ExitCode;
  /** The error's stable code (ERR_...), or ERR_INTERNAL for an unexpected error. */
  readonly code: string;
  /** One line: no stack, no newlines. */
  readonly message: string;
}

// Coded errors of the packages by code prefix or exact code: bad input data (3) vs bad usage/config (2).
const INPUT_CODES = new Set([
  "ERR_SHAPE",
  "ERR_LENGTH",
  "ERR_DTYPE",
  "ERR_RANGE",
  "ERR_FORMAT",
  "ERR_CONTRACT",
  "ERR_MODEL_CORRUPT",
  "ERR_MODEL_WEIGHTS",
  "ERR_MODEL_FORMAT",
  "ERR_MODEL_CONTRACT",
  "ERR_CHECKPOINT_FORMAT",
  "ERR_CHECKPOINT_MISSING",
  "ERR_TRAIN_DATA",
]);
const USAGE_CODES = new Set([
  "ERR_USAGE",
  "ERR_CONFIG",
  "ERR_ARGUMENT",
  "ERR_MODEL_ARGUMENT",
  "ERR_CHECKPOINT_MISMATCH",
  "ERR_TRAIN_BACKEND",
]);
// Node system errors about a path the user named.
const FS_INPUT_CODES = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

/** Maps any thrown value to an exit code, its code and one readable line (citty-style: only main exits). */
export function describeError(e: unknown): ErrorDescription {
  const err = e instanceof Error ? e : new Error(String(e));
  const code =
    typeof (err as { code?: unknown }).code === "string" ? (err as unknown as { code: string }).code : undefined;
  const line = oneLine(err.message || err.name);
  if (typeof (err as { exit?: unknown }).exit === "number" && code !== undefined) {
    return { exit: (err as unknown as { exit: ExitCode }).exit, code, message: line };
  }
  if (err.name === "ZodError") return { exit: EXIT.usage, code: "ERR_CONFIG", message: line };
  if (code === undefined) return { exit: EXIT.failure, code: "ERR_INTERNAL", message: line };
  if (code.startsWith("ERR_DATA_") || INPUT_CODES.has(code)) return { exit: EXIT.input, code, message: line };
  if (USAGE_CODES.has(code)) return { exit: EXIT.usage, code, message: line };
  if (FS_INPUT_CODES.has(code)) {
    const path = (err as { path?: string }).path;
    return { exit: EXIT.input, code, message: path ? `${fsReason(code)}: ${path}` : line };
  }
  return { exit: EXIT.failure, code, message: line };
}

function fsReason(code: string): string {
  return code === "ENOENT" ? "no such file or folder" : code === "ENOTDIR" ? "not a folder" : "is a folder";
}

/** Collapses a message to one line of at most 400 characters. */
export function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, "; ").trim();
  return flat.length > 400 ? `${flat.slice(0, 397)}...` : flat;
}
