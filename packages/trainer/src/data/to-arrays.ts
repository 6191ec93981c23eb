import { DataError } from "./data-error.ts";

/** Typed arrays a file reader may hand back. */
export type RawArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Intensities as Float32Array (a Float32Array input is returned as is). */
export function toImage(values: RawArray): Float32Array {
  if (values instanceof Float32Array) return values;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}

/**
 * Label map as Uint8Array, checking every value is an integer in [0, classes - 1] (0..255 when
 * `classes` is undefined); otherwise ERR_DATA_LABEL_VALUES naming the file and the values found.
 */
export function toLabels(values: RawArray, file: string, classes: number | undefined): Uint8Array {
  const max = classes === undefined ? 255 : classes - 1;
  const out = new Uint8Array(values.length);
  const bad = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (Number.isInteger(v) && v >= 0 && v <= max) out[i] = v;
    else if (bad.size < 8) bad.add(v);
  }
  if (bad.size > 0) {
    const seen = [...bad].sort((a, b) => a - b).join(", ");
    throw new DataError("ERR_DATA_LABEL_VALUES", `label holds ${seen}; allowed are the integers 0..${max}`, {
      file,
      details: { values: [...bad], classes },
    });
  }
  return out;
}

/** Distinct values of a label map, ascending. */
export function labelValues(label: Uint8Array): number[] {
  const seen = new Uint8Array(256);
  for (let i = 0; i < label.length; i++) seen[label[i]] = 1;
  const out: number[] = [];
  for (let v = 0; v < 256; v++) if (seen[v]) out.push(v);
  return out;
}

/** ERR_DATA_SHAPE_MISMATCH unless image and label shapes agree. */
export function checkPairShape(image: readonly number[], label: readonly number[], file: string): void {
  if (image.length !== label.length || image.some((d, i) => d !== label[i])) {
    throw new DataError(
      "ERR_DATA_SHAPE_MISMATCH",
      `image shape [${image.join(", ")}] differs from label shape [${label.join(", ")}]`,
      { file, details: { image: [...image], label: [...label] } },
    );
  }
}
