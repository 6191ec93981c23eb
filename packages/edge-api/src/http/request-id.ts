/** The caller's X-Request-Id when it is short and plain, else a fresh UUID. */
export function requestIdOf(header: string | undefined): string {
  return header && /^[\w.:-]{1,128}$/.test(header) ? header : crypto.randomUUID();
}
