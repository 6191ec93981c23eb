import { HttpError } from "./http-error.ts";

/** Reads a request body up to `limit` bytes; 413 ERR_BODY_TOO_LARGE as soon as it passes (stream not drained). */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new HttpError(413, "ERR_BODY_TOO_LARGE", `request body exceeds ${limit} bytes`, { details: { limit } });
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
