import { isBcpError } from "@bcpseg/core";
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

// Core's codes on request data are the client's fault; which 4xx says what kind.
const CORE_STATUS: Readonly<Record<string, number>> = {
  ERR_FORMAT: 400,
  ERR_DTYPE: 400,
  ERR_SHAPE: 422,
  ERR_LENGTH: 422,
  ERR_RANGE: 422,
  ERR_ARGUMENT: 422,
};

/** Maps any thrown value to a status, headers and envelope; unknown errors become a bare 500 (no stack, no text). */
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
  } else if (isBcpError(e) && e.code in CORE_STATUS) {
    status = CORE_STATUS[e.code];
    code = e.code;
    message = e.message;
    details = e.details;
  }
  if (status === 503 && !headers["retry-after"]) headers["retry-after"] = "1";
  const error = { code, message, ...(details === undefined ? {} : { details }), ...(requestId ? { requestId } : {}) };
  return { status, headers, body: { error } };
}
