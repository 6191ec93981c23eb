import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ExportError } from "./export-error.ts";

/**
 * Writes `bytes` to `path` atomically: into `<path>.tmp-<pid>` in the same folder, fsync, then rename over `path`
 * (readers see the old file or the whole new one, never a partial one). ERR_MODEL_WRITE on failure.
 */
export async function writeModelAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `${basename(path)}.tmp-${process.pid}`);
  try {
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new ExportError("ERR_MODEL_WRITE", "writeModelAtomic", `cannot write ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
