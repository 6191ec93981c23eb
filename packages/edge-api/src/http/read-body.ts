import type { ByteBudget } from "./byte-budget.ts";
import { HttpError } from "./http-error.ts";

/** Options of readBody: the Date.now() the upload must end by, and the budget of bytes buffered server-wide. */
export interface ReadBodyOptions {
  readonly deadline?: number;
  /** Each chunk is taken from it as it arrives; the caller gives back `held()` bytes when the request ends. */
  readonly budget?: ByteBudget;
  readonly retryAfterSeconds?: number;
  /** Sees each chunk as it arrives (e.g. a multipart watcher); what it throws refuses the body there. */
  readonly onChunk?: (chunk: Uint8Array) => void;
}

/** A body being read: the bytes, and how many of the budget's bytes it holds (give them back when done). */
export interface BodyRead {
  readonly bytes: Uint8Array;
  readonly held: number;
}

/**
 * Reads a request body up to `limit` bytes. 413 ERR_BODY_TOO_LARGE as soon as it passes (stream not drained);
 * 408 ERR_UPLOAD_TIMEOUT when it is still arriving at the deadline; 503 ERR_BUSY when the server-wide budget
 * of buffered bytes is spent; 499 ERR_CLIENT_ABORT when the client goes away mid-upload (an expected event,
 * logged without a stack). Every refusal cancels the stream and gives back what it took.
 */
export async function readBody(req: Request, limit: number, options: ReadBodyOptions = {}): Promise<BodyRead> {
  const tooLarge = () =>
    new HttpError(413, "ERR_BODY_TOO_LARGE", `request body exceeds ${limit} bytes`, { details: { limit } });
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return { bytes: new Uint8Array(0), held: 0 };
  const { budget, deadline = Number.POSITIVE_INFINITY } = options;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    if (!Number.isFinite(deadline)) return;
    timer = setTimeout(
      () =>
        reject(
          new HttpError(408, "ERR_UPLOAD_TIMEOUT", "the request body did not arrive within the time limit", {
            headers: { connection: "close" },
          }),
        ),
      Math.max(0, deadline - Date.now()),
    );
  });
  timeout.catch(() => {});
  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await Promise.race([reader.read(), timeout]);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        throw new HttpError(499, "ERR_CLIENT_ABORT", "the client closed the connection during the upload");
      }
      const { done, value } = step;
      if (done) break;
      size += value.length;
      if (size > limit) throw tooLarge();
      if (budget && !budget.take(value.length)) {
        size -= value.length;
        throw new HttpError(503, "ERR_BUSY", "the server holds too many request bodies, retry later", {
          headers: { "retry-after": String(options.retryAfterSeconds ?? 1) },
        });
      }
      chunks.push(value);
      options.onChunk?.(value);
    }
  } catch (e) {
    budget?.give(size);
    await reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return { bytes: chunks[0], held: size };
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { bytes: out, held: size };
}
