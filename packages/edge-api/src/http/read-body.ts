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
 * Past this many pieces (stream reads: one per HTTP chunk or socket read) a body must average at least
 * MIN_PIECE_BYTES a piece. Each piece costs microseconds of event loop and ~400 bytes of objects, whatever it
 * holds: a 4 MB body sent as 4 M one-byte chunks held the loop 20 s and 1.7 GB before this bound. A 32 MiB
 * upload arrives in socket reads of 16-64 KiB, or 1.4 KiB at worst.
 */
const FREE_PIECES = 8192;
const MIN_PIECE_BYTES = 512;

/**
 * Reads a request body up to `limit` bytes. 413 ERR_BODY_TOO_LARGE as soon as it passes (stream not drained);
 * 408 ERR_UPLOAD_TIMEOUT when it is still arriving at the deadline; 503 ERR_BUSY when the server-wide budget
 * of buffered bytes is spent; 400 ERR_BODY_FRAGMENTED when it arrives in more than 8192 pieces averaging under
 * 512 bytes; 499 ERR_CLIENT_ABORT when the client goes away mid-upload (an expected event, logged without a
 * stack). Every refusal cancels the stream and gives back what it took. Pieces are copied into one buffer that
 * doubles as bytes arrive (at most twice what arrived; a body in one piece is not copied).
 */
export async function readBody(req: Request, limit: number, options: ReadBodyOptions = {}): Promise<BodyRead> {
  const tooLarge = () =>
    new HttpError(413, "ERR_BODY_TOO_LARGE", `request body exceeds ${limit} bytes`, { details: { limit } });
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return { bytes: new Uint8Array(0), held: 0 };
  const { budget, deadline = Number.POSITIVE_INFINITY } = options;
  const reader = req.body.getReader();
  let first: Uint8Array | undefined;
  let buffer: Uint8Array | undefined;
  let pieces = 0;
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
      if (++pieces > FREE_PIECES && size < pieces * MIN_PIECE_BYTES) {
        throw new HttpError(
          400,
          "ERR_BODY_FRAGMENTED",
          `the request body arrived in more than ${FREE_PIECES} pieces of under ${MIN_PIECE_BYTES} bytes on average`,
          { details: { pieces, bytes: size }, headers: { connection: "close" } },
        );
      }
      if (first === undefined) first = value;
      else {
        if (buffer === undefined || size > buffer.length) {
          const grown = new Uint8Array(Math.min(limit, Math.max(size, 2 * (buffer?.length ?? first.length))));
          if (buffer === undefined) grown.set(first);
          else grown.set(buffer.subarray(0, size - value.length));
          buffer = grown;
        }
        buffer.set(value, size - value.length);
      }
      options.onChunk?.(value);
    }
  } catch (e) {
    budget?.give(size);
    await reader.cancel().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const bytes = buffer === undefined ? (first ?? new Uint8Array(0)) : buffer.subarray(0, size);
  return { bytes, held: size };
}
