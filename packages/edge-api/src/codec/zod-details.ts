import type { z } from "zod";

/** zod issues as { path: "a.b.0", message } (one error envelope, dot-path messages). */
export function zodDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
