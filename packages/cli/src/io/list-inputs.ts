import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { inputError } from "../errors/cli-error.ts";

/** File kinds `bcpseg predict` reads. */
export type InputKind = "png" | "nifti" | "h5";

const LABEL_STEM = /_(gt|seg|label|mask)$/i;

/** The kind of an input file by its name, or undefined. */
export function inputKind(path: string): InputKind | undefined {
  const n = path.toLowerCase();
  if (n.endsWith(".png")) return "png";
  if (n.endsWith(".nii") || n.endsWith(".nii.gz")) return "nifti";
  if (n.endsWith(".h5") || n.endsWith(".hdf5")) return "h5";
  return undefined;
}

/** The file name without its image extension (`a.nii.gz` → `a`). */
export function stemOf(path: string): string {
  return basename(path).replace(/\.(png|nii\.gz|nii|h5|hdf5)$/i, "");
}

/** Expands files and folders (one level, sorted; label files skipped) into input files with their kind. */
export async function listInputs(paths: readonly string[]): Promise<Array<{ path: string; kind: InputKind }>> {
  const out: Array<{ path: string; kind: InputKind }> = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) throw inputError(`no such file or folder: ${p}`);
    if (s.isDirectory()) {
      for (const name of (await readdir(p)).sort()) {
        const kind = inputKind(name);
        if (kind && !name.startsWith(".") && !LABEL_STEM.test(stemOf(name))) out.push({ path: join(p, name), kind });
      }
    } else {
      const kind = inputKind(p);
      if (!kind) throw inputError(`${p}: not a PNG, NIfTI (.nii, .nii.gz) or HDF5 (.h5) file`);
      out.push({ path: p, kind });
    }
  }
  if (out.length === 0) throw inputError(`no PNG, NIfTI or HDF5 images in ${paths.join(", ")}`);
  return out;
}
