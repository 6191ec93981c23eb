import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http-error.ts";

/** SHA-256 of a string (fixed 32 bytes, so the comparison below never depends on the token's length). */
async function digest(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
}

/** Compares two strings in time independent of where they differ (XOR over their hashes). */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/**
 * Requires `Authorization: Bearer <token>` equal to one of `tokens`; 401 ERR_UNAUTHORIZED otherwise, saying
 * which: the header is missing, malformed (not `Bearer <token>`: RFC 6750 `invalid_request`), or the token is
 * not one of them (`invalid_token`).
 */
export function bearerAuth(tokens: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    let ok = false;
    // Check every token (no early exit) so timing does not tell which one matched.
    for (const t of tokens) if (m && (await constantTimeEqual(m[1], t))) ok = true;
    if (!ok) {
      const [message, error] =
        header === undefined || header.trim() === ""
          ? ["missing bearer token", undefined]
          : m
            ? ["invalid bearer token", "invalid_token"]
            : ["malformed Authorization header: want `Bearer <token>`", "invalid_request"];
      throw new HttpError(401, "ERR_UNAUTHORIZED", message, {
        headers: { "www-authenticate": `Bearer realm="bcpseg"${error ? `, error="${error}"` : ""}` },
        details: { reason: error === undefined ? "missing" : error === "invalid_token" ? "invalid" : "malformed" },
      });
    }
    await next();
  };
}
