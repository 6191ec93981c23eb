import { BcpError } from "../errors/bcp-error.ts";
import type { Issue } from "../errors/zod-issues.ts";

/** Codes of {@link DicomSegError}. */
export type DicomSegErrorCode = "ERR_SEG_SOURCE" | "ERR_SEG_TOO_LARGE";

/**
 * A DICOM SEG that cannot be written (kind input): ERR_SEG_SOURCE for a source series description that does not
 * validate (`details` the {@link Issue} list), ERR_SEG_TOO_LARGE for an object over `maxBytes` (`details`
 * `{ bytes, maxBytes }`, raised before any pixel is packed).
 */
export class DicomSegError extends BcpError<DicomSegErrorCode> {
  constructor(code: DicomSegErrorCode, fn: string, message: string, details?: unknown) {
    super(code, `${fn}: ${message}`, {
      kind: "input",
      fn,
      details,
      arg: code === "ERR_SEG_SOURCE" ? "source" : undefined,
    });
    this.name = "DicomSegError";
  }
}

/** The ERR_SEG_SOURCE error of a list of issues, one line. */
export function segSourceError(fn: string, issues: readonly Issue[]): DicomSegError {
  const shown = issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : "";
  return new DicomSegError("ERR_SEG_SOURCE", fn, `invalid source series: ${shown.join("; ")}${more}`, issues);
}
