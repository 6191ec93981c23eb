import { basename, join } from "node:path";
import { DataError } from "./data-error.ts";
import { listDir, pathKind } from "./fs-node.ts";

/** An image file, its label file if any, and the sample id they share. */
export interface FilePair {
  readonly id: string;
  readonly image: string;
  readonly label: string | undefined;
}

/** Suffixes that mark a label file in the flat layout (`<id>_gt.nii.gz` pairs with `<id>.nii.gz`). */
export const LABEL_SUFFIXES: readonly string[] = ["_gt", "_seg", "_label", "_mask"];

/**
 * Pairs image and label files under `root`. Layouts, tried in order:
 * - "decathlon": `imagesTr/<id>.<ext>` (or nnU-Net `<id>_0000.<ext>`, other channels ignored) with
 *   `labelsTr/<id>.<ext>`;
 * - "images-masks": `images/<id>.<ext>` with `masks/<id>.<ext>` or `labels/<id>.<ext>` (a `_mask`
 *   suffix on the mask name is allowed);
 * - "suffix": files anywhere up to two folders deep, `<id>.<ext>` with `<id>_gt.<ext>` (or `_seg`,
 *   `_label`, `_mask`) beside it — the raw ACDC layout.
 * Images without a label are listed with `label: undefined`. Hidden and `._*` files are skipped.
 */
export async function findPairs(
  root: string,
  extensions: readonly string[],
): Promise<{ layout: "decathlon" | "images-masks" | "suffix"; pairs: FilePair[] }> {
  if ((await pathKind(root)) !== "dir") throw new DataError("ERR_DATA_MISSING", "no such folder", { file: root });
  const stem = (name: string) => {
    const ext = extensions.find((e) => name.toLowerCase().endsWith(e));
    return ext === undefined ? undefined : name.slice(0, name.length - ext.length);
  };
  const files = async (dir: string) => {
    const out = new Map<string, string>();
    for (const e of await listDir(dir)) {
      const s = e.dir ? undefined : stem(e.name);
      if (s !== undefined) out.set(s, join(dir, e.name));
    }
    return out;
  };
  if ((await pathKind(join(root, "imagesTr"))) === "dir") {
    const images = await files(join(root, "imagesTr"));
    const labels = await files(join(root, "labelsTr"));
    // nnU-Net names every image `<id>_NNNN` (one file per channel); keep channel 0 only.
    const nnunet = [...images.keys()].length > 0 && [...images.keys()].every((s) => /_\d{4}$/.test(s));
    const pairs: FilePair[] = [];
    for (const [s, path] of images) {
      if (nnunet && !s.endsWith("_0000")) continue;
      const id = nnunet ? s.slice(0, -5) : s;
      pairs.push({ id, image: path, label: labels.get(id) });
    }
    return { layout: "decathlon", pairs };
  }
  if ((await pathKind(join(root, "images"))) === "dir") {
    const images = await files(join(root, "images"));
    const masks = new Map([...(await files(join(root, "labels"))), ...(await files(join(root, "masks")))]);
    const pairs = [...images].map(([id, path]) => ({
      id,
      image: path,
      label: masks.get(id) ?? masks.get(`${id}_mask`),
    }));
    return { layout: "images-masks", pairs };
  }
  // Keyed by folder + stem, so equal names in different folders stay apart and pair only with a neighbour.
  const all = new Map<string, string>();
  const walk = async (dir: string, depth: number) => {
    for (const e of await listDir(dir)) {
      if (e.dir && depth < 2) await walk(join(dir, e.name), depth + 1);
      const s = e.dir ? undefined : stem(e.name);
      if (s !== undefined) all.set(join(dir, s), join(dir, e.name));
    }
  };
  await walk(root, 0);
  const isLabel = (key: string) =>
    LABEL_SUFFIXES.some((suf) => key.endsWith(suf) && all.has(key.slice(0, -suf.length)));
  const pairs: FilePair[] = [];
  for (const [key, path] of all) {
    if (isLabel(key)) continue;
    const suffix = LABEL_SUFFIXES.find((suf) => all.has(key + suf));
    pairs.push({ id: basename(key), image: path, label: suffix === undefined ? undefined : all.get(key + suffix) });
  }
  return { layout: "suffix", pairs };
}
