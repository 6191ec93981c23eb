/** Value representations the SEG writer emits. */
export type Vr = "AT" | "CS" | "DA" | "DS" | "IS" | "LO" | "OB" | "PN" | "SH" | "SQ" | "ST" | "TM" | "UI" | "UL" | "US";

/** One data element: tag as (group << 16 | element), a VR and its value. */
export type DicomElement =
  | { readonly tag: number; readonly vr: "AT" | "UL" | "US"; readonly value: readonly number[] }
  | { readonly tag: number; readonly vr: "OB"; readonly value: Uint8Array }
  | { readonly tag: number; readonly vr: "SQ"; readonly value: readonly DicomDataset[] }
  | {
      readonly tag: number;
      readonly vr: "CS" | "DA" | "DS" | "IS" | "LO" | "PN" | "SH" | "ST" | "TM" | "UI";
      readonly value: string;
    };

/** A data set (or sequence item): elements in any order; the encoder sorts them by tag. */
export type DicomDataset = readonly DicomElement[];

/** Builds a tag from its group and element numbers. */
export const tag = (group: number, element: number): number => ((group << 16) | element) >>> 0;

export const str = (
  t: number,
  vr: "CS" | "DA" | "DS" | "IS" | "LO" | "PN" | "SH" | "ST" | "TM" | "UI",
  value: string,
) => ({ tag: t, vr, value }) as const;
export const us = (t: number, ...value: number[]) => ({ tag: t, vr: "US", value }) as const;
export const ul = (t: number, ...value: number[]) => ({ tag: t, vr: "UL", value }) as const;
export const at = (t: number, ...value: number[]) => ({ tag: t, vr: "AT", value }) as const;
export const sq = (t: number, ...items: DicomDataset[]) => ({ tag: t, vr: "SQ", value: items }) as const;
