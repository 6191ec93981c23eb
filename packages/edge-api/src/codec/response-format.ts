import type { SegmentQuery } from "../schemas.ts";

export type ResponseFormat = NonNullable<SegmentQuery["format"]>;

const BY_TYPE: ReadonlyArray<[string, ResponseFormat]> = [
  ["application/json", "json"],
  ["image/png", "png"],
  ["application/x-nifti", "nifti"],
  ["application/nifti", "nifti"],
  ["application/gzip", "nifti-gz"],
  ["application/x-gzip", "nifti-gz"],
  ["application/dicom", "dicom-seg"],
];

/** The response format: the `format` option, else the first Accept entry that names one, else JSON. */
export function responseFormat(format: ResponseFormat | undefined, accept: string | undefined): ResponseFormat {
  if (format) return format;
  const wanted = (accept ?? "")
    .split(",")
    .map((p) => p.split(";")[0].trim().toLowerCase())
    .filter(Boolean);
  for (const w of wanted) {
    const hit = BY_TYPE.find(([t]) => t === w);
    if (hit) return hit[1];
  }
  return "json";
}
