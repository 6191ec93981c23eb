import { DicomError } from "./dicom-error.ts";

/** Bounds of {@link scanDicomStructure}. */
export interface DicomStructureLimits {
  /** Most elements, items and fragments in all (default 250 000); every one costs the parser an object. */
  readonly maxElements?: number;
  /** Most sequences nested in one another (default 32). */
  readonly maxDepth?: number;
}

/** Where a data set is and how it is encoded. */
export interface DicomEncoding {
  readonly explicit: boolean;
  readonly littleEndian: boolean;
}

// The explicit VRs with a 2-byte reserved field and a 4-byte length, as dicom-parser reads them.
export const LONG_VRS: ReadonlySet<string> = new Set(["OB", "OD", "OF", "OL", "OW", "SQ", "UC", "UR", "UT", "UN"]);
const UNDEFINED = 0xffffffff;
const PIXEL_DATA = 0x7fe00010;
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQ_END = 0xfffee0dd;

type Frame =
  // A data set: the top level or an item; end undefined = an undefined-length item ended by (FFFE,E00D).
  | { readonly kind: "set"; readonly end: number | undefined; readonly explicit: boolean }
  // A sequence's items; end undefined = ended by (FFFE,E0DD).
  | { readonly kind: "seq"; readonly end: number | undefined; readonly explicit: boolean };

const hex = (tag: number) =>
  `(${(tag >>> 16).toString(16).padStart(4, "0")},${(tag & 0xffff).toString(16).padStart(4, "0")})`;

/**
 * Walks the element structure of a data set from `start` to the end of `bytes` without building anything, the gate
 * before dicom-parser reads it: every declared length must fit its container, every undefined-length sequence and
 * item must reach its delimiter, encapsulated pixel data its sequence delimiter, explicit VRs must be two capitals,
 * and the counts of elements and nesting stay within `limits`. It recognises sequences as dicom-parser does (an
 * explicit SQ, an undefined-length explicit UN as implicit items, an implicit element whose value starts with an
 * item or sequence delimitation tag), so the parser then walks exactly what was checked. Iterative: a deep file
 * costs a bounded stack, and the walk is linear in the bytes. Returns the number of elements seen.
 */
export function scanDicomStructure(
  bytes: Uint8Array,
  start: number,
  encoding: DicomEncoding,
  limits: DicomStructureLimits = {},
  fn = "readDicom",
): number {
  const maxElements = limits.maxElements ?? 250_000;
  const maxDepth = limits.maxDepth ?? 32;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = encoding.littleEndian;
  const len = bytes.length;
  const fail = (reason: string, message: string, at: number) =>
    new DicomError("ERR_DICOM_FORMAT", fn, `${message} (at byte ${at})`, { reason, offset: at });
  const u16 = (at: number) => view.getUint16(at, le);
  const u32 = (at: number) => view.getUint32(at, le);
  const tagAt = (at: number) => ((u16(at) << 16) | u16(at + 2)) >>> 0;
  const stack: Frame[] = [{ kind: "set", end: len, explicit: encoding.explicit }];
  let depth = 0;
  let count = 0;
  let pos = start;
  const counted = () => {
    if (++count > maxElements) {
      throw new DicomError("ERR_DICOM_LIMIT", fn, `more than ${maxElements} elements`, {
        reason: "elements",
        limit: maxElements,
      });
    }
  };
  // The nearest end any enclosing container declares: nothing may run past it.
  const limit = () => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const e = stack[i].end;
      if (e !== undefined) return e;
    }
    return len;
  };
  const push = (frame: Frame) => {
    if (frame.kind === "seq" && ++depth > maxDepth) {
      throw new DicomError("ERR_DICOM_LIMIT", fn, `sequences nest deeper than ${maxDepth}`, {
        reason: "depth",
        limit: maxDepth,
      });
    }
    stack.push(frame);
  };
  const pop = () => {
    if ((stack.pop() as Frame).kind === "seq") depth--;
  };
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.end !== undefined && pos >= top.end) {
      if (pos > top.end) throw fail("length", "an element runs past the end of its item or sequence", pos);
      pop();
      continue;
    }
    if (pos + 8 > len) {
      if (top.kind === "seq") throw fail("delimiter", "a sequence of undefined length has no delimiter", pos);
      if (top.end === undefined) throw fail("delimiter", "an item of undefined length has no delimiter", pos);
      throw fail("truncated", "the file is truncated inside an element header", pos);
    }
    const tag = tagAt(pos);
    if (top.kind === "seq") {
      if (tag === SEQ_END && top.end === undefined) {
        pos += 8;
        pop();
        continue;
      }
      if (tag !== ITEM) throw fail("item", `expected an item tag in a sequence, found ${hex(tag)}`, pos);
      counted();
      const n = u32(pos + 4);
      pos += 8;
      if (n === UNDEFINED) push({ kind: "set", end: undefined, explicit: top.explicit });
      else {
        if (pos + n > limit()) throw fail("length", `an item declares ${n} bytes, past its container`, pos - 8);
        push({ kind: "set", end: pos + n, explicit: top.explicit });
      }
      continue;
    }
    if (tag === ITEM_END && top.end === undefined && stack.length > 1) {
      pos += 8;
      pop();
      continue;
    }
    if (tag >>> 16 === 0xfffe) throw fail("item", `unexpected ${hex(tag)} in a data set`, pos);
    counted();
    const head = pos;
    let vr: string | undefined;
    let n: number;
    if (top.explicit) {
      const a = bytes[pos + 4];
      const b = bytes[pos + 5];
      if (a < 65 || a > 90 || b < 65 || b > 90) throw fail("vr", `element ${hex(tag)} has no valid VR`, pos);
      vr = String.fromCharCode(a, b);
      if (LONG_VRS.has(vr)) {
        if (pos + 12 > len) throw fail("truncated", "the file is truncated inside an element header", pos);
        n = u32(pos + 8);
        pos += 12;
      } else {
        n = u16(pos + 6);
        pos += 8;
      }
    } else {
      n = u32(pos + 4);
      pos += 8;
    }
    const undefinedLength = n === UNDEFINED;
    const end = limit();
    let sequence = vr === "SQ" || (vr === "UN" && undefinedLength);
    if (vr === undefined) {
      // dicom-parser's implicit rule: the value starts with an item or sequence delimitation tag, and the element
      // is public or of undefined length.
      const next = pos + 4 <= len ? tagAt(pos) : 0;
      const private_ = (tag >>> 16) % 2 === 1;
      sequence = (next === ITEM || next === SEQ_END) && (!private_ || undefinedLength);
    }
    if (sequence) {
      if (!undefinedLength && pos + n > end)
        throw fail("length", `sequence ${hex(tag)} declares ${n} bytes, past its container`, head);
      push({ kind: "seq", end: undefinedLength ? undefined : pos + n, explicit: vr === "SQ" });
      continue;
    }
    if (undefinedLength) {
      if (tag === PIXEL_DATA) {
        pos = encapsulatedEnd(pos, end, tagAt, u32, fail, counted);
        continue;
      }
      throw fail("length", `element ${hex(tag)} has an undefined length but is not a sequence`, head);
    }
    if (pos + n > end) {
      throw fail(
        end === len ? "truncated" : "length",
        `element ${hex(tag)} declares ${n} bytes, only ${end - pos} remain`,
        head,
      );
    }
    pos += n;
  }
  return count;
}

// Encapsulated pixel data: items of defined length (the basic offset table first), then (FFFE,E0DD).
function encapsulatedEnd(
  start: number,
  end: number,
  tagAt: (at: number) => number,
  u32: (at: number) => number,
  fail: (reason: string, message: string, at: number) => DicomError,
  counted: () => void,
): number {
  let pos = start;
  for (;;) {
    if (pos + 8 > end) throw fail("delimiter", "encapsulated pixel data has no sequence delimiter", pos);
    const tag = tagAt(pos);
    const n = u32(pos + 4);
    pos += 8;
    if (tag === SEQ_END) return pos;
    if (tag !== ITEM) throw fail("item", `expected a fragment item in pixel data, found ${hex(tag)}`, pos - 8);
    counted();
    if (n === UNDEFINED || pos + n > end)
      throw fail("length", `a pixel data fragment declares ${n} bytes, past the end`, pos - 8);
    pos += n;
  }
}
