import { ArgumentError } from "@bcpseg/core";
import { TrainError } from "./train-error.ts";

/** One tensor of a safetensors file: float32 or int32 data with its shape. */
export interface StoredTensor {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/** A file's tensors (in file order) and its string metadata. */
export interface SafetensorsContent {
  readonly tensors: Record<string, StoredTensor>;
  readonly metadata: Record<string, string>;
}

const formatError = (message: string) => new TrainError("ERR_CHECKPOINT_FORMAT", `decodeSafetensors: ${message}`);

const DTYPES = { F32: Float32Array, I32: Int32Array } as const;

/**
 * Encodes tensors in the safetensors layout (readable by Python's `safetensors`): an 8-byte little-endian
 * header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}} padded
 * with spaces to a multiple of 8, then the raw little-endian buffers back to back. Returned as chunks so a
 * writer can stream them without one large copy.
 */
export function encodeSafetensors(content: SafetensorsContent): Uint8Array[] {
  const header: Record<string, unknown> = { __metadata__: content.metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(content.tensors)) {
    const dtype = t.data instanceof Float32Array ? "F32" : t.data instanceof Int32Array ? "I32" : undefined;
    if (dtype === undefined)
      throw new ArgumentError("encodeSafetensors", `tensors["${name}"]`, "must be Float32Array or Int32Array");
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new ArgumentError(
        "encodeSafetensors",
        `tensors["${name}"]`,
        `has ${t.data.length} values, shape [${t.shape}] wants ${size}`,
      );
    }
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
    chunks.push(littleEndianBytes(t.data));
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (utf8Length(json) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(head.length), true);
  return [len, head, ...chunks];
}

/** Decodes a safetensors file (F32 and I32 tensors); throws TrainError ERR_CHECKPOINT_FORMAT on anything malformed. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  if (bytes.length < 8) throw formatError(`${bytes.length} bytes is too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) throw formatError(`header of ${n} bytes overruns the file (${bytes.length})`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw formatError(`header is not JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const tensors: Record<string, StoredTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const Ctor = DTYPES[e.dtype as keyof typeof DTYPES];
    if (Ctor === undefined) throw formatError(`tensor "${name}" has unsupported dtype ${e.dtype}`);
    const [begin, end] = e.data_offsets ?? [-1, -1];
    const size = (e.shape ?? []).reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end - begin === size * 4 && dataStart + end <= bytes.length)) {
      throw formatError(`tensor "${name}" has bad offsets [${begin}, ${end}] (file truncated?)`);
    }
    const raw = bytes.slice(dataStart + begin, dataStart + end);
    tensors[name] = { data: fromLittleEndian(raw, Ctor), shape: e.shape ?? [] };
  }
  return { tensors, metadata };
}

const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndianBytes(data: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < out.length; i += 4) for (let k = 0; k < 4; k++) out[i + k] = bytes[i + 3 - k];
  return out;
}

function fromLittleEndian(raw: Uint8Array, Ctor: typeof Float32Array | typeof Int32Array): Float32Array | Int32Array {
  if (!LITTLE) for (let i = 0; i < raw.length; i += 4) raw.subarray(i, i + 4).reverse();
  return new Ctor(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}
