import { z } from "zod";
import { ArgumentError } from "../errors/bcp-error.ts";
import { zodIssues } from "../errors/zod-issues.ts";
import type { SegSegment } from "./build-seg-dataset.ts";
import { rgbToDicomLab } from "./rgb-to-dicom-lab.ts";
import { type SegmentCodes, segmentCodes } from "./segment-codes.ts";

/** A class as the SEG takes it: the model contract's (index, name, optional #rrggbb colour), optional codes. */
export interface SegClass {
  readonly index: number;
  readonly name: string;
  readonly color?: string;
  /** SegmentedPropertyCategory/Type; default by name ({@link segmentCodes}). */
  readonly codes?: SegmentCodes;
}

// Okabe-Ito, the edge API's overlay colours, for classes without their own.
const CYCLE = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"];

// Text of a code item: CodeValue and CodingSchemeDesignator SH (16), CodeMeaning LO (64), none empty.
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\\\p{Cc}]*$/u, "no backslash or control characters");
const CodeSchema = z.object({ value: text(16), scheme: text(16), meaning: text(64) });

/**
 * The segments of a class list — the contract's classes, indices 0..K-1 each once, class 0 background — with
 * their labels (LO-safe), codes (the class's own, else {@link segmentCodes}) and CIELab colours.
 */
export function checkSegClasses(fn: string, classes: readonly SegClass[]): SegSegment[] {
  if (!Array.isArray(classes) || classes.length < 2 || classes.length > 256) {
    throw new ArgumentError(fn, "classes", "must list 2 to 256 classes (background and at least one segment)");
  }
  if (classes.some((c) => c === null || typeof c !== "object")) {
    throw new ArgumentError(fn, "classes", "must be objects { index, name, color? }");
  }
  const byIndex = [...classes].sort((a, b) => a.index - b.index);
  byIndex.forEach((c, k) => {
    if (c.index !== k) throw new ArgumentError(fn, "classes", `indices must be 0..${classes.length - 1}, each once`);
    if (typeof c.name !== "string" || c.name.length === 0)
      throw new ArgumentError(fn, `classes[${k}].name`, "must not be empty");
    if (c.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(c.color)) {
      throw new ArgumentError(fn, `classes[${k}].color`, `must be #rrggbb, got ${c.color}`);
    }
  });
  return byIndex.slice(1).map((c) => {
    // LO: at most 64 characters, no backslash or control character (contract names are not bounded).
    const label = c.name.replace(/[\\\p{Cc}]/gu, " ").slice(0, 64);
    const codes = c.codes ?? segmentCodes(label, c.index);
    for (const [which, code] of [
      ["category", codes.category],
      ["type", codes.type],
    ] as const) {
      const r = CodeSchema.safeParse(code);
      if (!r.success) {
        const i = zodIssues(r.error)[0];
        throw new ArgumentError(fn, `classes[${c.index}].codes.${which}${i.path ? `.${i.path}` : ""}`, i.message);
      }
    }
    return {
      number: c.index,
      label,
      category: codes.category,
      type: codes.type,
      lab: rgbToDicomLab(c.color ?? CYCLE[(c.index - 1) % CYCLE.length]),
    };
  });
}
