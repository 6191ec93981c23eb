import { type ErrorKind, isBcpError } from "@bcpseg/core";
import { ModelLoadError } from "../model/model-load-error.ts";
import { HttpError } from "./http-error.ts";

/** The one error body every 4xx/5xx carries. */
export interface ErrorEnvelope {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: unknown;
    readonly requestId?: string;
  };
}

// The status of a client's coded error by its kind: request bytes that do not parse are a bad request (400);
// data or options that parse but cannot be used are unprocessable (422). Other kinds are the server's (500).
const CLIENT_STATUS: Readonly<Partial<Record<ErrorKind, number>>> = { integrity: 400, input: 422, usage: 422 };

/** Maps any thrown value to a status, headers and envelope; internal and unknown errors become a bare 500 (no text). */
export function errorResponse(
  e: unknown,
  requestId?: string,
): { status: number; headers: Record<string, string>; body: ErrorEnvelope } {
  let status = 500;
  let code = "ERR_INTERNAL";
  let message = "internal error";
  let details: unknown;
  let headers: Record<string, string> = {};
  if (e instanceof HttpError) {
    ({ status, code, message, details } = e);
    headers = { ...e.headers };
  } else if (isBcpError(e) && e.kind in CLIENT_STATUS && !(e instanceof ModelLoadError)) {
    // A model that cannot be served is the server's fault whatever its kind, and says nothing to the client.
    status = CLIENT_STATUS[e.kind] as number;
    ({ code, message, details } = e);
  }
  if (status === 503 && !headers["retry-after"]) headers["retry-after"] = "1";
  const error = { code, message, ...(details === undefined ? {} : { details }), ...(requestId ? { requestId } : {}) };
  return { status, headers, body: { error } };
}
