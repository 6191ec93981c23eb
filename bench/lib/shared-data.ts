// Where the benchmarks find the real datasets: ../shared/data beside the repository (the workspace layout, read in
// place, never committed), unless a flag names another folder.
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `<repository>/../shared/data/<name>`, or `override` (resolved against the working folder) when a flag gives one. */
export function sharedDataRoot(name: "ACDC" | "LA", override?: string): string {
  return override === undefined ? join(REPO_ROOT, "..", "shared", "data", name) : resolve(override);
}
