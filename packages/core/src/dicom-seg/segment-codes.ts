/** A coded concept: (CodeValue, CodingSchemeDesignator, CodeMeaning). */
export interface SegCode {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

/** What a segment is: SegmentedPropertyCategory and SegmentedPropertyType. */
export interface SegmentCodes {
  readonly category: SegCode;
  readonly type: SegCode;
}

const sct = (value: string, meaning: string): SegCode => ({ value, scheme: "SCT", meaning });

/** CID 7150 categories used here. */
export const SEG_CATEGORY = {
  anatomicalStructure: sct("123037004", "Anatomical Structure"),
  tissue: sct("85756007", "Tissue"),
} as const;

// SNOMED CT structures (CID 7152 cardiac structures, CID 7166 tissues and the organ CIDs) by normalised class
// name: the ACDC classes (right ventricle, myocardium, left ventricle), LA's left atrium, and common organs.
const KNOWN: ReadonlyArray<[readonly string[], SegCode]> = [
  [["right ventricle", "rv"], sct("53085002", "Right ventricle")],
  [["left ventricle", "lv"], sct("87878005", "Left ventricle")],
  // ACDC's myocardium is the left ventricle's (the one it delineates); SCT 74281007 "Myocardium" is in no DICOM
  // context group, 49848007 is (CID 12305).
  [["myocardium", "myo", "left ventricle myocardium", "lv myocardium"], sct("49848007", "Left ventricle myocardium")],
  [["left atrium", "la"], sct("82471001", "Left atrium")],
  [["right atrium", "ra"], sct("73829009", "Right atrium")],
  [["heart"], sct("80891009", "Heart")],
  [["aorta"], sct("15825003", "Aorta")],
  [["liver"], sct("10200004", "Liver")],
  [["spleen"], sct("78961009", "Spleen")],
  [["kidney"], sct("64033007", "Kidney")],
  [["pancreas"], sct("15776009", "Pancreas")],
  [["lung"], sct("39607008", "Lung")],
  [["brain"], sct("12738006", "Brain")],
];
const BY_NAME = new Map(KNOWN.flatMap(([names, code]) => names.map((n) => [n, code] as const)));

/** A class name compared case- and separator-insensitively ("Left_Ventricle" = "left ventricle"). */
const normalise = (name: string) =>
  name
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .trim();

/** The local coding scheme of class names without a standard code, declared in the SEG (PS3.3 C.12.1.1.4). */
export const LOCAL_SCHEME = {
  designator: "99BCPSEG",
  name: "bcpseg class names",
  organization: "bcpseg",
} as const;

/**
 * Codes of a class by its name: the SNOMED CT structure under "Anatomical Structure" when the name is known,
 * else category "Tissue" and a local code (scheme 99BCPSEG, PS3.3 8.2: private "99" prefix) whose meaning is
 * the class name, so a reader still sees what the segment is.
 */
export function segmentCodes(name: string, index: number): SegmentCodes {
  const known = BY_NAME.get(normalise(name));
  if (known) return { category: SEG_CATEGORY.anatomicalStructure, type: known };
  return {
    category: SEG_CATEGORY.tissue,
    type: { value: `C${index}`, scheme: LOCAL_SCHEME.designator, meaning: name.slice(0, 64) },
  };
}
