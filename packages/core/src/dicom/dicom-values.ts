import type { DataSet } from "dicom-parser";
import { DicomError } from "./dicom-error.ts";
import { decodeDicomText } from "./dicom-text.ts";

/** A string attribute, trimmed; "" when absent or empty. */
export function str(ds: DataSet, tag: string): string {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return "";
  return (ds.string(tag) ?? "").replace(/\0+$/, "").trim();
}

/**
 * A text attribute (SH, LO, ST, LT, UT, PN, UC) decoded in the data set's character set (`terms`, from
 * characterSetTerms of Specific Character Set), trimmed; "" when absent or empty.
 */
export function text(ds: DataSet, tag: string, terms: readonly string[]): string {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return "";
  const bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
  return decodeDicomText(bytes, terms).replace(/\0+$/, "").trim();
}

/**
 * The numbers of a DS/IS attribute (backslash-separated decimal strings); undefined when absent or empty. A value
 * present but not `count` finite numbers is an ERR_DICOM_FORMAT naming the attribute.
 */
export function nums(ds: DataSet, tag: string, name: string, count?: number, fn = "readDicom"): number[] | undefined {
  const s = str(ds, tag);
  if (s === "") return undefined;
  const v = s.split("\\").map((p) => Number(p.trim()));
  if (v.some((x) => !Number.isFinite(x)) || (count !== undefined && v.length !== count)) {
    throw new DicomError(
      "ERR_DICOM_FORMAT",
      fn,
      `${name} is "${s.slice(0, 80)}", ${count === undefined ? "not numbers" : `not ${count} numbers`}`,
      {
        reason: "value",
        attribute: name,
      },
    );
  }
  return v;
}

/** One number of a DS/IS attribute, or undefined. */
export function num(ds: DataSet, tag: string, name: string, fn = "readDicom"): number | undefined {
  return nums(ds, tag, name, undefined, fn)?.[0];
}

/** An unsigned 16-bit attribute (US), or undefined when absent. */
export function us(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return undefined;
  return ds.uint16(tag);
}

/** The data set of the first item of a sequence, or undefined. */
export function firstItem(ds: DataSet | undefined, tag: string): DataSet | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet;
}
