import { ERROR_KINDS, type ErrorKind } from "./error-kind.ts";

/** Stable string codes of the errors core itself throws; callers branch on `code`, never on text. */
export type BcpErrorCode =
  | "ERR_SHAPE"
  | "ERR_LENGTH"
  | "ERR_DTYPE"
  | "ERR_ARGUMENT"
  | "ERR_CONTRACT"
  | "ERR_FORMAT"
  | "ERR_RANGE";

// The kind of each core code, so core's own throw sites need not repeat it.
const CORE_KIND: Readonly<Record<BcpErrorCode, ErrorKind>> = {
  ERR_SHAPE: "input",
  ERR_LENGTH: "input",
  ERR_RANGE: "input",
  ERR_ARGUMENT: "usage",
  ERR_DTYPE: "integrity",
  ERR_FORMAT: "integrity",
  ERR_CONTRACT: "integrity",
};

// A registered symbol brands every BcpError, so the guard holds across realms and duplicated installs
// without trusting any object that merely has a string `code`.
const BRAND = Symbol.for("@bcpseg/core/BcpError");

/** Options of {@link BcpError}; `kind` may be left out only for core's own codes. */
export interface BcpErrorOptions {
  readonly kind?: ErrorKind;
  readonly fn?: string;
  readonly arg?: string;
  readonly details?: unknown;
  readonly cause?: unknown;
}

/**
 * The one error base of every bcpseg package: a stable `code` (ERR_...), the {@link ErrorKind} exit codes and
 * HTTP statuses derive from, and optionally the function and argument at fault and data `details`.
 */
export class BcpError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly kind: ErrorKind;
  readonly fn: string | undefined;
  readonly arg: string | undefined;
  readonly details: unknown;

  constructor(code: Code, message: string, options: BcpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BcpError";
    this.code = code;
    this.kind = options.kind ?? CORE_KIND[code as unknown as BcpErrorCode] ?? "internal";
    this.fn = options.fn;
    this.arg = options.arg;
    this.details = options.details;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** A shape, length or rank that does not fit what the function needs. */
export class ShapeError extends BcpError<"ERR_SHAPE"> {
  constructor(fn: string, arg: string, message: string) {
    super("ERR_SHAPE", `${fn}: ${arg} ${message}`, { fn, arg });
    this.name = "ShapeError";
  }
}

/** A typed array of a kind the function does not accept. */
export class DtypeError extends BcpError<"ERR_DTYPE"> {
  constructor(fn: string, arg: string, message: string) {
    super("ERR_DTYPE", `${fn}: ${arg} ${message}`, { fn, arg });
    this.name = "DtypeError";
  }
}

/** An option or scalar argument outside its allowed values. */
export class ArgumentError extends BcpError<"ERR_ARGUMENT"> {
  constructor(fn: string, arg: string, message: string) {
    super("ERR_ARGUMENT", `${fn}: ${arg} ${message}`, { fn, arg });
    this.name = "ArgumentError";
  }
}

/** True for an error of any bcpseg package (a {@link BcpError}, also from another realm or a duplicated install). */
export function isBcpError(e: unknown): e is BcpError {
  if (e instanceof BcpError) return true;
  if (typeof e !== "object" || e === null || (e as { [BRAND]?: unknown })[BRAND] !== true) return false;
  const { code, kind } = e as { code?: unknown; kind?: unknown };
  return typeof code === "string" && ERROR_KINDS.includes(kind as ErrorKind);
}
