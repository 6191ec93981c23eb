import { ArgumentError } from "../errors/bcp-error.ts";
import type { DicomDataset, DicomElement } from "./dicom-dataset.ts";

/** A data set ready to write: its exact byte length in explicit VR little endian, and the writer. */
export interface CompiledDataset {
  readonly byteLength: number;
  /** Writes the data set at `offset` of `view`; returns the offset after it. */
  write(view: DataView, offset: number): number;
}

const UTF8 = new TextEncoder();

/**
 * Compiles a data set for explicit VR little endian (PS3.5 7.1.2): elements sorted by tag, strings padded to an
 * even length (UI with NUL, text with a space), sequences and items of defined length. Values are encoded once.
 */
export function compileDataset(dataset: DicomDataset): CompiledDataset {
  const parts = [...dataset].sort((a, b) => a.tag - b.tag).map(compileElement);
  for (let k = 1; k < parts.length; k++) {
    if (parts[k].tag === parts[k - 1].tag) {
      throw new ArgumentError("compileDataset", "dataset", `has tag ${hex(parts[k].tag)} twice`);
    }
  }
  const byteLength = parts.reduce((n, p) => n + p.byteLength, 0);
  return {
    byteLength,
    write(view, offset) {
      let at = offset;
      for (const p of parts) at = p.write(view, at);
      return at;
    },
  };
}

interface CompiledElement extends CompiledDataset {
  readonly tag: number;
}

function compileElement(e: DicomElement): CompiledElement {
  const long = e.vr === "OB" || e.vr === "SQ";
  const headLength = long ? 12 : 8;
  let valueLength: number;
  let writeValue: (view: DataView, at: number) => void;
  switch (e.vr) {
    case "SQ": {
      const items = e.value.map(compileDataset);
      valueLength = items.reduce((n, it) => n + 8 + it.byteLength, 0);
      writeValue = (view, at) => {
        let o = at;
        for (const it of items) {
          view.setUint16(o, 0xfffe, true);
          view.setUint16(o + 2, 0xe000, true);
          view.setUint32(o + 4, it.byteLength, true);
          o = it.write(view, o + 8);
        }
      };
      break;
    }
    case "OB": {
      const bytes = e.value;
      valueLength = bytes.length + (bytes.length & 1);
      writeValue = (view, at) => new Uint8Array(view.buffer, view.byteOffset + at, bytes.length).set(bytes);
      break;
    }
    case "US":
    case "UL":
    case "AT": {
      const values = e.value;
      const size = e.vr === "US" ? 2 : 4;
      valueLength = (e.vr === "AT" ? 4 : size) * values.length;
      writeValue = (view, at) => {
        values.forEach((v, k) => {
          if (e.vr === "US") view.setUint16(at + 2 * k, v, true);
          else if (e.vr === "UL") view.setUint32(at + 4 * k, v, true);
          else {
            view.setUint16(at + 4 * k, v >>> 16, true);
            view.setUint16(at + 4 * k + 2, v & 0xffff, true);
          }
        });
      };
      break;
    }
    default: {
      const bytes = UTF8.encode(e.value);
      const pad = e.vr === "UI" ? 0 : 0x20;
      valueLength = bytes.length + (bytes.length & 1);
      writeValue = (view, at) => {
        new Uint8Array(view.buffer, view.byteOffset + at, bytes.length).set(bytes);
        if (bytes.length & 1) view.setUint8(at + bytes.length, pad);
      };
    }
  }
  if (!long && valueLength > 0xfffe) {
    throw new ArgumentError(
      "compileDataset",
      "dataset",
      `${hex(e.tag)} ${e.vr} value of ${valueLength} bytes is too long`,
    );
  }
  if (valueLength > 0xfffffffe) {
    throw new ArgumentError("compileDataset", "dataset", `${hex(e.tag)} value of ${valueLength} bytes is too long`);
  }
  return {
    tag: e.tag,
    byteLength: headLength + valueLength,
    write(view, offset) {
      view.setUint16(offset, e.tag >>> 16, true);
      view.setUint16(offset + 2, e.tag & 0xffff, true);
      view.setUint8(offset + 4, e.vr.charCodeAt(0));
      view.setUint8(offset + 5, e.vr.charCodeAt(1));
      if (long) {
        view.setUint16(offset + 6, 0, true);
        view.setUint32(offset + 8, valueLength, true);
      } else {
        view.setUint16(offset + 6, valueLength, true);
      }
      writeValue(view, offset + headLength);
      return offset + headLength + valueLength;
    },
  };
}

function hex(t: number): string {
  const h = t.toString(16).padStart(8, "0").toUpperCase();
  return `(${h.slice(0, 4)},${h.slice(4)})`;
}
