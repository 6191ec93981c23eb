import { readdir, readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DataError } from "./data-error.ts";

/** Reads a whole file; a missing file is ERR_DATA_MISSING, any other failure ERR_DATA_UNREADABLE. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw fsError(e, path);
  }
}

/** Reads a split list: one name a line, blank lines and surrounding spaces dropped. */
export async function readList(path: string): Promise<string[]> {
  const bytes = await readBytes(path);
  return new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Names in a folder (sorted, hidden and AppleDouble `._*` files dropped), or [] if it does not exist. */
export async function listDir(path: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => !e.name.startsWith("."))
      .map((e) => ({ name: e.name, dir: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw fsError(e, path);
  }
}

/** "file", "dir" or undefined when nothing is at `path`. */
export async function pathKind(path: string): Promise<"file" | "dir" | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? "dir" : "file";
  } catch {
    return undefined;
  }
}

function fsError(e: unknown, path: string): DataError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new DataError("ERR_DATA_MISSING", "no such file", { file: path, cause: e });
  return new DataError("ERR_DATA_UNREADABLE", `cannot read (${code ?? String(e)})`, { file: path, cause: e });
}

/**
 * The first of `candidates` (list file names under `root`) that exists, or ERR_DATA_MISSING naming every candidate
 * and `hint` (what would work instead). `override`, when given, is used as it is (relative to root or absolute).
 */
export async function chooseList(
  root: string,
  candidates: readonly string[],
  override: string | undefined,
  hint: string,
): Promise<string> {
  if (override !== undefined) return override;
  for (const name of candidates) {
    try {
      if ((await stat(resolve(root, name))).isFile()) return name;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw fsError(e, resolve(root, name));
    }
  }
  throw new DataError("ERR_DATA_MISSING", `no validation list: looked for ${candidates.join(", ")}; ${hint}`, {
    file: root,
  });
}
