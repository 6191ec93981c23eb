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

/** Requires `Authorization: Bearer <token>` equal to one of `tokens`; 401 ERR_UNAUTHORIZED otherwise. */
export function bearerAuth(tokens: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    let ok = false;
    // Check every token (no early exit) so timing does not tell which one matched.
    for (const t of tokens) if (m && (await constantTimeEqual(m[1], t))) ok = true;
    if (!ok) {
      throw new HttpError(401, "ERR_UNAUTHORIZED", m ? "invalid bearer token" : "missing bearer token", {
        headers: { "www-authenticate": 'Bearer realm="bcpseg"' },
      });
    }
    await next();
  };
}
