import { z } from "zod";

/** One validation problem: where (zod's own path notation, `classes[1].index`; "" for the root) and what. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Bounds of {@link zodIssues}; the defaults keep an error small whatever input caused it. */
export interface ZodIssuesOptions {
  /** Issues kept (default 20); one more says how many were left off. */
  readonly maxIssues?: number;
  /** Unknown keys named per issue (default 10). */
  readonly maxKeys?: number;
  /** Characters of a path or message (default 120). */
  readonly maxText?: number;
}

/**
 * The one formatter of zod issues in bcpseg: paths by zod's `toDotPath`, messages as zod wrote them, bounded
 * (at most `maxIssues` issues, `maxKeys` unknown keys named, every path and message cut at `maxText`).
 */
export function zodIssues(error: z.ZodError, options: ZodIssuesOptions = {}): Issue[] {
  const { maxIssues = 20, maxKeys = 10, maxText = 120 } = options;
  const clip = (s: string) => (s.length > maxText ? `${s.slice(0, maxText)}…` : s);
  const out: Issue[] = error.issues.slice(0, maxIssues).map((i) => {
    const path = clip(z.core.toDotPath(i.path));
    if (i.code !== "unrecognized_keys") return { path, message: clip(i.message) };
    const shown = i.keys.slice(0, maxKeys).map((k) => JSON.stringify(clip(k)));
    const more = i.keys.length - shown.length;
    const s = i.keys.length === 1 ? "" : "s";
    return { path, message: `unknown key${s}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}` };
  });
  const more = error.issues.length - out.length;
  if (more > 0) out.push({ path: "", message: `and ${more} more issue${more === 1 ? "" : "s"}` });
  return out;
}

/** Issues on one line: `path: message; path: message` ("(root)" for the top), at most `max`, then "and N more". */
export function issuesLine(issues: readonly Issue[], max = Number.POSITIVE_INFINITY): string {
  const shown = issues.slice(0, max).map((i) => `${i.path || "(root)"}: ${i.message}`);
  if (issues.length > max) shown.push(`and ${issues.length - max} more`);
  return shown.join("; ");
}

/** True for a zod validation error (zod's own class check, not its name). */
export const isZodError = (e: unknown): e is z.ZodError => e instanceof z.core.$ZodError;
