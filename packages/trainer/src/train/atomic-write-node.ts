import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `chunks` to `path` atomically: a temporary file in the same folder, fsync, rename over `path`, then
 * fsync of the folder (best effort). If anything fails — including the chunk iterable throwing half way — the
 * temporary file is removed and whatever `path` held before is untouched.
 */
export async function writeFileAtomic(path: string, chunks: Iterable<Uint8Array>): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const file = await open(tmp, "wx");
  try {
    try {
      for (const chunk of chunks) {
        let at = 0;
        while (at < chunk.length) at += (await file.write(chunk, at, chunk.length - at)).bytesWritten;
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  // Make the rename itself durable; not every platform lets a folder be opened and synced.
  try {
    const d = await open(dir, "r");
    await d.sync().finally(() => d.close());
  } catch {
    // ignored: the data is synced, only the directory entry may lag on such platforms
  }
}
