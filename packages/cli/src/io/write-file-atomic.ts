import { rename, rm, writeFile } from "node:fs/promises";

/** Writes `bytes` to `path` through a temporary file beside it and a rename: a reader never sees half a file. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const part = `${path}.${process.pid}.part`;
  try {
    await writeFile(part, bytes);
    await rename(part, path);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
}
