import { HttpError } from "../http/http-error.ts";

/** Bounds of {@link parseMultipart}; a body past any is refused before its parts are read. */
export interface MultipartLimits {
  /** Most parts (default 4096). */
  readonly maxParts?: number;
  /** Most bytes of one part's body (default: the body's). */
  readonly maxPartBytes?: number;
  /** Most bytes of one part's header block (default 16 KiB). */
  readonly maxHeaderBytes?: number;
}

/** One part of a multipart body: its headers (names lower-cased) and its body, a view into the request bytes. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export const MULTIPART_LIMITS = { maxParts: 4096, maxHeaderBytes: 16 * 1024 } as const;

const bad = (message: string, details?: Record<string, unknown>) =>
  new HttpError(400, "ERR_MULTIPART", message, details ? { details } : undefined);

// RFC 2046 5.1.1: 1 to 70 characters of bchars, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** A media type's parameter (RFC 7231 3.1.1.1: token or quoted string), lower-cased name; undefined if absent. */
export function mediaTypeParameter(contentType: string, name: string): string | undefined {
  const re = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;
  for (const m of contentType.matchAll(re)) {
    if (m[1].toLowerCase() !== name) continue;
    const v = m[2];
    return v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, "$1") : v;
  }
  return undefined;
}

/**
 * Splits a multipart body (RFC 2046: multipart/related, multipart/form-data) into its parts without copying:
 * the boundary is checked (1-70 bchars), every delimiter found by one forward scan, the part count, each header
 * block and each part's size checked as the scan reaches them, the close delimiter required. Any defect is
 * 400 ERR_MULTIPART; past a bound, 413 ERR_MULTIPART_LIMIT naming it.
 */
export function parseMultipart(bytes: Uint8Array, contentType: string, limits: MultipartLimits = {}): MultipartPart[] {
  const maxParts = limits.maxParts ?? MULTIPART_LIMITS.maxParts;
  const maxPartBytes = limits.maxPartBytes ?? bytes.length;
  const maxHeaderBytes = limits.maxHeaderBytes ?? MULTIPART_LIMITS.maxHeaderBytes;
  const boundary = mediaTypeParameter(contentType, "boundary");
  if (boundary === undefined) throw bad("the multipart content type has no boundary parameter");
  if (!BOUNDARY.test(boundary)) throw bad("the multipart boundary must be 1 to 70 characters (RFC 2046)");
  const dash = new TextEncoder().encode(`\r\n--${boundary}`);
  // The first delimiter may open the body without the CRLF before it.
  let at = startsWith(bytes, 0, dash, 2) ? -2 : find(bytes, dash, 0);
  if (at === -1) throw bad("the body holds no delimiter of its boundary");
  const parts: MultipartPart[] = [];
  for (;;) {
    let p = at + dash.length;
    if (bytes[p] === 45 && bytes[p + 1] === 45) return parts; // "--": the close delimiter; the epilogue is ignored
    while (bytes[p] === 32 || bytes[p] === 9) p++; // transport padding
    if (bytes[p] !== 13 || bytes[p + 1] !== 10) {
      throw bad(
        p >= bytes.length ? "the body ends without the close delimiter" : "a delimiter line has trailing bytes",
      );
    }
    p += 2;
    if (parts.length === maxParts) {
      throw new HttpError(413, "ERR_MULTIPART_LIMIT", `more than ${maxParts} parts`, {
        details: { limit: "parts", max: maxParts },
      });
    }
    const headerEnd = findCrlfCrlf(bytes, p, p + maxHeaderBytes + 4);
    if (headerEnd < 0) {
      if (bytes.length - p > maxHeaderBytes + 4) {
        throw new HttpError(413, "ERR_MULTIPART_LIMIT", `a part's headers are over ${maxHeaderBytes} bytes`, {
          details: { limit: "headerBytes", max: maxHeaderBytes, part: parts.length },
        });
      }
      throw bad(`part ${parts.length} has no end of headers`, { part: parts.length });
    }
    const headers = parseHeaders(bytes.subarray(p, headerEnd), parts.length);
    const start = headerEnd + 4;
    const next = find(bytes, dash, start);
    if (next < 0) throw bad(`part ${parts.length} runs to the end of the body without a delimiter`);
    const body = bytes.subarray(start, next);
    if (body.length > maxPartBytes) {
      throw new HttpError(
        413,
        "ERR_MULTIPART_LIMIT",
        `part ${parts.length} has ${body.length} bytes, over ${maxPartBytes}`,
        {
          details: { limit: "partBytes", max: maxPartBytes, part: parts.length },
        },
      );
    }
    parts.push({ headers, body });
    at = next;
  }
}

function parseHeaders(block: Uint8Array, part: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (block.length === 0) return headers;
  for (const line of new TextDecoder("latin1").decode(block).split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw bad(`part ${part} has a header line without a name`, { part });
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function startsWith(bytes: Uint8Array, at: number, needle: Uint8Array, from: number): boolean {
  if (at + needle.length - from > bytes.length) return false;
  for (let k = from; k < needle.length; k++) if (bytes[at + k - from] !== needle[k]) return false;
  return true;
}

/** First index >= from of `needle` in `bytes`, or -1 (a scan for its first byte, then a compare: O(n * |needle|)). */
function find(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = bytes.length - needle.length;
  for (let i = bytes.indexOf(first, Math.max(0, from)); i >= 0 && i <= last; i = bytes.indexOf(first, i + 1)) {
    if (startsWith(bytes, i, needle, 0)) return i;
  }
  return -1;
}

function findCrlfCrlf(bytes: Uint8Array, from: number, to: number): number {
  const end = Math.min(to, bytes.length - 3);
  // An empty header block: the CRLF of the delimiter line is directly followed by CRLF.
  if (bytes[from] === 13 && bytes[from + 1] === 10) return from - 2;
  for (let i = bytes.indexOf(13, from); i >= 0 && i < end; i = bytes.indexOf(13, i + 1)) {
    if (bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i;
  }
  return -1;
}

/**
 * A watcher of a multipart body as it arrives (readBody's `onChunk`): it finds the delimiters across chunk
 * boundaries (a KMP matcher, skipping to the next CR inside part bodies) and refuses — before the rest is read —
 * more than `maxParts` parts or a part header block over `maxHeaderBytes` (413 ERR_MULTIPART_LIMIT, as
 * parseMultipart). Undefined when the content type names no valid boundary: the parse then says why.
 */
export function multipartWatch(
  contentType: string,
  limits: MultipartLimits = {},
): ((chunk: Uint8Array) => void) | undefined {
  const boundary = mediaTypeParameter(contentType, "boundary");
  if (boundary === undefined || !BOUNDARY.test(boundary)) return undefined;
  const maxParts = limits.maxParts ?? MULTIPART_LIMITS.maxParts;
  const maxHeaderBytes = limits.maxHeaderBytes ?? MULTIPART_LIMITS.maxHeaderBytes;
  const dash = new TextEncoder().encode(`\r\n--${boundary}`);
  const fail = new Int32Array(dash.length);
  for (let i = 1, k = 0; i < dash.length; i++) {
    while (k > 0 && dash[i] !== dash[k]) k = fail[k - 1];
    if (dash[i] === dash[k]) k++;
    fail[i] = k;
  }
  let j = 2; // the body may open with the delimiter, without its CRLF
  let delimiters = 0;
  let header = -1; // bytes of the current header block, -1 outside one
  let crlf = 0; // of "\r\n\r\n" matched in a header block
  let after = -1; // bytes seen after a delimiter (its "--" makes it the close one)
  let closed = false;
  return (chunk) => {
    if (closed) return;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (after >= 0) {
        if (after === 0 && b !== 45) after = -1;
        else if (after === 1) {
          if (b === 45) {
            closed = true; // the close delimiter: the epilogue is not watched
            return;
          }
          after = -1;
        } else after++;
      }
      if (header >= 0) {
        header++;
        crlf = b === (crlf % 2 === 0 ? 13 : 10) ? crlf + 1 : b === 13 ? 1 : 0;
        if (crlf === 4) {
          header = -1;
          crlf = 0;
        } else if (header > maxHeaderBytes + 1024) {
          throw new HttpError(413, "ERR_MULTIPART_LIMIT", `a part's headers are over ${maxHeaderBytes} bytes`, {
            details: { limit: "headerBytes", max: maxHeaderBytes, part: delimiters - 1 },
          });
        }
      }
      if (j === 0 && header < 0 && after < 0 && b !== 13) {
        // Inside a part's body: on to the next CR, where a delimiter could start.
        const next = chunk.indexOf(13, i + 1);
        if (next < 0) return;
        i = next - 1;
        continue;
      }
      while (j > 0 && b !== dash[j]) j = fail[j - 1];
      if (b === dash[j]) j++;
      if (j === dash.length) {
        j = fail[j - 1];
        delimiters++;
        if (delimiters > maxParts + 1) {
          throw new HttpError(413, "ERR_MULTIPART_LIMIT", `more than ${maxParts} parts`, {
            details: { limit: "parts", max: maxParts },
          });
        }
        after = 0;
        header = 0;
        crlf = 0;
      }
    }
  };
}
