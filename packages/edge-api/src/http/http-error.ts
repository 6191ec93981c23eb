import { BcpError, type ErrorKind } from "@bcpseg/core";

// The kind of an HTTP refusal, for anyone who handles it outside the HTTP layer (logs, the CLI).
const kindOf = (status: number): ErrorKind =>
  status === 503 ? "unavailable" : status >= 500 ? "internal" : status === 422 ? "input" : "usage";

/** An error the HTTP layer answers as-is: status, stable code, one-line message, optional details. */
export class HttpError extends BcpError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(code, message, { kind: kindOf(status), details: options.details });
    this.name = "HttpError";
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/**
 * An HttpError built without a stack trace: for the refusals a server under overload makes thousands of times a
 * second (shedding), where capturing the stack was the largest cost of the refusal and nobody reads it.
 */
export function stacklessHttpError(...args: ConstructorParameters<typeof HttpError>): HttpError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new HttpError(...args);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
