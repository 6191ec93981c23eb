import type { AppContext } from "../app-context.ts";
import { admit } from "../routes/segment-route.ts";
import { errorResponse } from "./error-response.ts";
import { HttpError } from "./http-error.ts";
import { requestIdOf } from "./request-id.ts";

/** An answer written straight to the transport: status, headers and a ready body. */
export interface FastAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Answers a request from its method, URL and headers alone, or leaves it to the app (undefined). */
export type FastAnswers = (
  method: string,
  url: string,
  header: (name: string) => string | undefined,
) => FastAnswer | undefined;

const HEALTHY = JSON.stringify({ status: "ok" });

/**
 * The answers a transport may give without the app building a Request, a context and a Response: `GET /healthz`,
 * and the 503 ERR_BUSY of a segmentation shed at arrival (the queue full, or its expected wait past the
 * deadline) — under a retry flood the event loop does nothing but refuse, and a /healthz probe waits behind
 * every refusal of a pass. Each is the app's own answer (same status, headers, JSON body and request log line),
 * built from the same checks: whatever else would be answered first (a bad query, an unknown model, an
 * authorization check, CORS headers) leaves the request to the app.
 */
export function fastAnswers(ctx: AppContext): FastAnswers {
  return (method, url, header) => {
    if (ctx.cors) return undefined;
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    if (method === "GET" && path === "/healthz") {
      const requestId = requestIdOf(header("x-request-id"));
      ctx.logRequest({ requestId, method, path, status: 200, t0: performance.now() });
      return { status: 200, headers: { "content-type": "application/json", "x-request-id": requestId }, body: HEALTHY };
    }
    if (method !== "POST" || path !== "/v1/segment" || ctx.auth) return undefined;
    // A free slot: nothing to shed (the cheap test first, every request while the server keeps up).
    if (ctx.limiter.running < ctx.limiter.concurrency) return undefined;
    const t0 = performance.now();
    const deadline = Date.now() + ctx.limits.timeoutMs;
    const query = q < 0 ? {} : queryRecord(url.slice(q + 1));
    if (!query) return undefined;
    let refusal: unknown;
    let model: string;
    try {
      model = admit(ctx, query, header("accept")).model.info.id;
      try {
        ctx.limiter.checkRoom(0, { key: model, deadline });
        return undefined; // room: the app serves it
      } catch (e) {
        refusal = e;
      }
    } catch {
      return undefined; // the app refuses it for something else, in its own words
    }
    if (!(refusal instanceof HttpError) || refusal.code !== "ERR_BUSY") return undefined;
    const requestId = requestIdOf(header("x-request-id"));
    const r = errorResponse(refusal, requestId);
    const code = r.body.error.code;
    ctx.logRequest({ requestId, method, path, status: r.status, t0, model, code });
    return {
      status: r.status,
      headers: {
        ...r.headers,
        "x-error-code": code,
        "x-request-id": requestId,
        "content-type": "application/json",
      },
      body: JSON.stringify(r.body),
    };
  };
}

/** The query as Hono's `c.req.query()` reads it, or undefined where they could differ (a repeated key). */
function queryRecord(search: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    if (Object.hasOwn(out, k)) return undefined;
    out[k] = v;
  }
  return out;
}
