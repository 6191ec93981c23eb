// Where the benchmarks and tests find the real datasets: ../shared/data beside the repository (the workspace layout,
// read in place, never committed), or the folder BCPSEG_DATA names, unless a flag names another folder.
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The folder holding ACDC/ and LA/: $BCPSEG_DATA, else `<repository>/../shared/data`. */
export function sharedDataFolder(): string {
  return process.env.BCPSEG_DATA ?? join(REPO_ROOT, "..", "shared", "data");
}

/** `<data folder>/<name>` ({@link sharedDataFolder}), or `override` (resolved against the working folder). */
export function sharedDataRoot(name: "ACDC" | "LA", override?: string): string {
  return override === undefined ? join(sharedDataFolder(), name) : resolve(override);
}
