import { ArgumentError } from "../errors/bcp-error.ts";

/**
 * A number as a DICOM decimal string (DS, at most 16 characters): JavaScript's shortest round-trip form when it
 * fits, else the most significant digits that do (fixed or exponent form), so positions keep ~14 digits.
 */
export function formatDs(value: number): string {
  if (!Number.isFinite(value)) throw new ArgumentError("formatDs", "value", `must be finite, got ${value}`);
  const plain = String(value);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits >= 1; digits--) {
    for (const s of [Number(value.toPrecision(digits)).toString(), value.toExponential(digits - 1)]) {
      if (s.length <= 16) return s;
    }
  }
  return value.toExponential(0);
}

/** A UTC instant as DICOM DA (YYYYMMDD). */
export function formatDa(d: Date): string {
  return `${d.getUTCFullYear()}`.padStart(4, "0") + two(d.getUTCMonth() + 1) + two(d.getUTCDate());
}

/** A UTC instant as DICOM TM (HHMMSS.ffffff). */
export function formatTm(d: Date): string {
  return `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}.${`${d.getUTCMilliseconds()}`.padStart(3, "0")}000`;
}

const two = (n: number) => `${n}`.padStart(2, "0");
