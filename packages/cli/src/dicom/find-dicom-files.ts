import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { isDicomPart10 } from "@bcpseg/core";
import { inputError } from "../errors/cli-error.ts";

/** Bounds of {@link findDicomFiles}: a folder walk never runs away on a huge or looping tree. */
export interface FindDicomOptions {
  /** Folder levels below the given one (default 8). */
  readonly maxDepth?: number;
  /** Most files looked at (default 100 000). */
  readonly maxFiles?: number;
}

/** True when the file starts as DICOM Part 10 does (128-byte preamble, "DICM"); reads 132 bytes. */
export async function isDicomFile(path: string): Promise<boolean> {
  const f = await open(path, "r");
  try {
    const head = new Uint8Array(132);
    const { bytesRead } = await f.read(head, 0, 132, 0);
    return isDicomPart10(head.subarray(0, bytesRead));
  } finally {
    await f.close();
  }
}

/**
 * The DICOM Part 10 files of a file or folder (recursive, sorted, hidden entries skipped), found by their content,
 * since DICOM files often have no extension. A DICOMDIR is left out (it indexes images, it holds none).
 */
export async function findDicomFiles(path: string, options: FindDicomOptions = {}): Promise<string[]> {
  const maxDepth = options.maxDepth ?? 8;
  const maxFiles = options.maxFiles ?? 100_000;
  const s = await stat(path).catch(() => undefined);
  if (!s) throw inputError(`no such file or folder: ${path}`);
  if (!s.isDirectory()) return (await isDicomFile(path)) ? [path] : [];
  const out: string[] = [];
  let seen = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith(".") || e.name.toUpperCase() === "DICOMDIR") continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < maxDepth) await walk(p, depth + 1);
      } else if (e.isFile()) {
        if (++seen > maxFiles) throw inputError(`${path}: more than ${maxFiles} files; give a smaller folder`);
        if (await isDicomFile(p)) out.push(p);
      }
    }
  };
  await walk(path, 0);
  return out;
}
