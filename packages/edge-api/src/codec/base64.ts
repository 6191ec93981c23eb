/** Standard base64 of bytes (chunked so large arrays do not overflow the argument list). */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes of a standard base64 string (validated by the caller's schema). */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Bytes a standard base64 text of `length` characters decodes to, `padding` of them trailing "=" (0-2). */
export function base64ByteLength(length: number, padding: number): number {
  return Math.floor((length * 3) / 4) - padding;
}
