import type { z } from "zod";

const MAX_ISSUES = 20;
const MAX_KEYS = 10;
const MAX_TEXT = 120;

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/**
 * zod issues as { path: "a.b.0", message } (one error envelope, dot-path messages), bounded whatever the
 * input: at most 20 issues (then one saying how many more), at most 10 unknown keys named per issue, every
 * path and message cut at 120 characters, so an error never grows with the body that caused it.
 */
export function zodDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  const out = error.issues.slice(0, MAX_ISSUES).map((i) => {
    let message = i.message;
    if (i.code === "unrecognized_keys") {
      const shown = i.keys.slice(0, MAX_KEYS).map((k) => JSON.stringify(clip(k)));
      const more = i.keys.length - shown.length;
      message = `unknown key${i.keys.length === 1 ? "" : "s"}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
      return { path: clip(i.path.map(String).join(".")), message };
    }
    return { path: clip(i.path.map(String).join(".")), message: clip(message) };
  });
  const more = error.issues.length - out.length;
  if (more > 0) out.push({ path: "", message: `and ${more} more issue${more === 1 ? "" : "s"}` });
  return out;
}
