// Builds DICOM Part 10 bytes element by element for the reader's hostile-input tests (explicit VR little endian
// unless told otherwise), so each defect can be placed exactly.
const LONG = new Set(["OB", "OD", "OF", "OL", "OW", "SQ", "UC", "UR", "UT", "UN"]);
export const UNDEFINED = 0xffffffff;

export interface Enc {
  readonly explicit?: boolean;
  readonly le?: boolean;
}

const text = (s: string) => new TextEncoder().encode(s.length % 2 ? `${s} ` : s);

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One element; `length` overrides the value's length (a lie, or UNDEFINED). */
export function el(tag: number, vr: string, value: Uint8Array | string, enc: Enc = {}, length?: number): Uint8Array {
  const v = typeof value === "string" ? text(value) : value;
  const le = enc.le ?? true;
  const explicit = enc.explicit ?? true;
  const long = !explicit || LONG.has(vr);
  const head = new Uint8Array(explicit ? (long ? 12 : 8) : 8);
  const dv = new DataView(head.buffer);
  dv.setUint16(0, tag >>> 16, le);
  dv.setUint16(2, tag & 0xffff, le);
  const n = length ?? v.length;
  if (!explicit) dv.setUint32(4, n >>> 0, le);
  else {
    head[4] = vr.charCodeAt(0);
    head[5] = vr.charCodeAt(1);
    if (long) dv.setUint32(8, n >>> 0, le);
    else dv.setUint16(6, n & 0xffff, le);
  }
  return concat([head, v]);
}

/** An item (FFFE,E000) of the given content; `length` overrides (UNDEFINED: no delimiter is added here). */
export function item(content: Uint8Array, le = true, length?: number): Uint8Array {
  return concat([tagLen(0xfffee000, length ?? content.length, le), content]);
}

export function tagLen(tag: number, n: number, le = true): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, tag >>> 16, le);
  dv.setUint16(2, tag & 0xffff, le);
  dv.setUint32(4, n >>> 0, le);
  return b;
}

export const us = (n: number, le = true) => {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, n, le);
  return b;
};

/** Preamble, DICM and a meta group naming `ts`, then `dataset` as given. */
export function part10(dataset: Uint8Array, ts = "1.2.840.10008.1.2.1"): Uint8Array {
  const metaBody = concat([el(0x00020001, "OB", new Uint8Array([0, 1])), el(0x00020010, "UI", ts)]);
  const groupLength = el(0x00020000, "UL", new Uint8Array(new Uint32Array([metaBody.length]).buffer));
  return concat([new Uint8Array(128), text("DICM"), groupLength, metaBody, dataset]);
}

/** A minimal valid MR image: rows x columns x frames of 16-bit pixels (value = index mod 4096). */
export function image(
  opts: { rows?: number; columns?: number; frames?: number; pixels?: Uint8Array; enc?: Enc } = {},
): Uint8Array {
  const { rows = 4, columns = 3, frames = 1, enc = {} } = opts;
  const le = enc.le ?? true;
  const n = rows * columns * frames;
  const px = opts.pixels ?? new Uint8Array(2 * n);
  if (!opts.pixels) for (let i = 0; i < n; i++) new DataView(px.buffer).setUint16(2 * i, i % 4096, le);
  return concat([
    el(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.4", enc),
    el(0x00080018, "UI", "1.2.3.4.5", enc),
    el(0x00080060, "CS", "MR", enc),
    el(0x0020000e, "UI", "1.2.3.4", enc),
    el(0x00200032, "DS", "0\\0\\0", enc),
    el(0x00200037, "DS", "1\\0\\0\\0\\1\\0", enc),
    el(0x00280002, "US", us(1, le), enc),
    el(0x00280004, "CS", "MONOCHROME2", enc),
    ...(frames > 1 ? [el(0x00280008, "IS", String(frames), enc)] : []),
    el(0x00280010, "US", us(rows, le), enc),
    el(0x00280011, "US", us(columns, le), enc),
    el(0x00280030, "DS", "1\\1", enc),
    el(0x00280100, "US", us(16, le), enc),
    el(0x00280101, "US", us(16, le), enc),
    el(0x00280102, "US", us(15, le), enc),
    el(0x00280103, "US", us(0, le), enc),
    el(0x7fe00010, "OW", px, enc),
  ]);
}
