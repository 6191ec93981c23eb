import { FormatError } from "./format-error.ts";

/** Compression formats of the Web `CompressionStream` that the codecs use. */
export type ZlibFormat = "deflate" | "gzip";

/**
 * Inflates a zlib ("deflate") or gzip stream with the global DecompressionStream (Node, Bun, Deno,
 * workers). Stops and throws a FormatError past `maxBytes` of output, so a hostile stream cannot
 * exhaust memory; every stream error becomes a FormatError naming `fn` and `what`. With `stopAt`, it
 * stops as soon as that many bytes are out and returns just them (fewer only if the stream ends first):
 * the rest of the stream is never inflated.
 */
export async function inflate(
  bytes: Uint8Array,
  format: ZlibFormat,
  fn: string,
  what: string,
  maxBytes: number,
  stopAt?: number,
): Promise<Uint8Array> {
  const ds = new DecompressionStream(format);
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  // Errors of the writable side resurface on the readable side; swallow them here.
  writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (stopAt !== undefined && total + value.length >= stopAt) {
        chunks.push(value.subarray(0, stopAt - total));
        total = stopAt;
        await reader.cancel().catch(() => {});
        await writer.abort().catch(() => {});
        break;
      }
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        await writer.abort().catch(() => {});
        throw new FormatError(fn, `${what} inflates to more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(fn, `${what} is not a valid ${format} stream (${(e as Error)?.message ?? String(e)})`);
  }
  return concat(chunks, total);
}

/** Compresses bytes to a zlib ("deflate") or gzip stream with the global CompressionStream. */
export async function deflate(bytes: Uint8Array, format: ZlibFormat): Promise<Uint8Array> {
  const cs = new CompressionStream(format);
  const writer = cs.writable.getWriter();
  writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => {});
  const reader = cs.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  return concat(chunks, total);
}

/** Joins byte chunks into one fresh array of `total` bytes. */
export function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
