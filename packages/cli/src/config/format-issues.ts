/** A zod issue as the CLI prints it. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** zod issues as `path: message` items (dot paths; "(root)" for the top). */
export function configIssues(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): ConfigIssue[] {
  return error.issues.map((i) => ({
    path:
      i.path.length === 0
        ? "(root)"
        : i.path
            .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
            .join(".")
            .replace(/\.\[/g, "["),
    message: i.message,
  }));
}

/** One line: `path: message; path: message` (at most 4, then "and N more"). */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  const shown = issues.slice(0, 4).map((i) => `${i.path}: ${i.message}`);
  if (issues.length > 4) shown.push(`and ${issues.length - 4} more`);
  return shown.join("; ");
}
