/** Stable string codes for every error core throws; callers branch on `code`, never on text. */
export type BcpErrorCode =
  | "ERR_SHAPE"
  | "ERR_LENGTH"
  | "ERR_DTYPE"
  | "ERR_ARGUMENT"
  | "ERR_CONTRACT"
  | "ERR_FORMAT"
  | "ERR_RANGE";

/** Base class of core's errors: a stable `code`, plus the function and argument at fault. */
export class BcpError extends Error {
  readonly code: BcpErrorCode;
  readonly fn: string | undefined;
  readonly arg: string | undefined;
  readonly details: unknown;

  constructor(
    code: BcpErrorCode,
    message: string,
    options: { fn?: string; arg?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BcpError";
    this.code = code;
    this.fn = options.fn;
    this.arg = options.arg;
    this.details = options.details;
  }
}

/** A shape, length or rank that does not fit what the function needs. */
export class ShapeError extends BcpError {
  constructor(fn: string, arg: string, message: string) {
    super("ERR_SHAPE", `${fn}: ${arg} ${message}`, { fn, arg });
    this.name = "ShapeError";
  }
}

/** A typed array of a kind the function does not accept. */
export class DtypeError extends BcpError {
  constructor(fn: string, arg: string, message: string) {
    super("ERR_DTYPE", `${fn}: ${arg} ${message}`, { fn, arg });
    this.name = "DtypeError";
  }
}

/** An option or scalar argument outside its allowed values. */
export class ArgumentError extends BcpError {
  constructor(fn: string, arg: string, message: string) {
    super("ERR_ARGUMENT", `${fn}: ${arg} ${message}`, { fn, arg });
    this.name = "ArgumentError";
  }
}

/** True for any error thrown by core (works across realms and duplicated installs). */
export function isBcpError(e: unknown): e is BcpError {
  return (
    e instanceof BcpError ||
    (typeof e === "object" &&
      e !== null &&
      typeof (e as { code?: unknown }).code === "string" &&
      (e as Error).name?.endsWith("Error") &&
      "fn" in e)
  );
}
