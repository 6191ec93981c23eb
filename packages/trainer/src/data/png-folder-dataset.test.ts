import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodePng } from "@bcpseg/core";
import { PngFolderDataset } from "./png-folder-dataset.ts";

let root: string;
const [H, W] = [3, 4];

async function put(path: string, data: Uint8Array | Uint16Array, bitDepth: 8 | 16, size = [H, W], channels: 1 | 3 = 1) {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, encodePng({ data, width: size[1], height: size[0], channels, bitDepth }));
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), "bcpseg-png-"));
  const ramp8 = Uint8Array.from({ length: H * W }, (_, i) => i * 20);
  const ramp16 = Uint16Array.from({ length: H * W }, (_, i) => i * 5000);
  const mask = Uint8Array.from({ length: H * W }, (_, i) => i % 3);
  await put(join(root, "ok", "images", "patient001_a.png"), ramp8, 8);
  await put(join(root, "ok", "masks", "patient001_a.png"), mask, 8);
  await put(join(root, "ok", "images", "patient001_b.png"), ramp16, 16);
  await put(join(root, "ok", "masks", "patient001_b_mask.png"), Uint16Array.from(mask), 16);
  await put(join(root, "ok", "images", "patient002_c.png"), ramp8, 8);
  await put(join(root, "binary", "images", "x.png"), ramp8, 8);
  await put(
    join(root, "binary", "masks", "x.png"),
    Uint8Array.from(mask, (v) => (v ? 255 : 0)),
    8,
  );
  await put(join(root, "bad", "images", "mismatch.png"), ramp8, 8);
  await put(join(root, "bad", "masks", "mismatch.png"), new Uint8Array(W * W), 8, [W, W]);
  await put(join(root, "bad", "images", "rgb.png"), new Uint8Array(H * W * 3).fill(90), 8, [H, W], 3);
  await writeFile(join(root, "bad", "masks", "rgb.png"), "not a png");
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("PngFolderDataset", () => {
  it("reads 8- and 16-bit images scaled to [0, 1] with their masks, unlabeled images too", async () => {
    const ds = await PngFolderDataset.open(join(root, "ok"), { classes: 4 });
    assert.deepEqual(ds.ids, ["patient001_a", "patient001_b", "patient002_c"]);
    assert.deepEqual(ds.patients, ["patient001", "patient001", "patient002"]);
    const a = await ds.get(0);
    assert.deepEqual(a.shape, [H, W]);
    assert.ok(Math.abs(a.image[1] - 20 / 255) < 1e-6);
    assert.deepEqual([...a.label!.slice(0, 4)], [0, 1, 2, 0]);
    const b = await ds.get(1);
    assert.ok(Math.abs(b.image[1] - 5000 / 65535) < 1e-6);
    assert.deepEqual([...b.label!], [...a.label!]);
    assert.equal((await ds.get(2)).label, undefined);
    assert.equal((await PngFolderDataset.open(join(root, "ok"), { includeUnlabeled: false })).length, 2);
  });

  it("binarizes 0/255 masks on request and rejects them otherwise", async () => {
    const strict = await PngFolderDataset.open(join(root, "binary"), { classes: 2 });
    await assert.rejects(strict.get(0), { code: "ERR_DATA_LABEL_VALUES" });
    const bin = await PngFolderDataset.open(join(root, "binary"), { classes: 2, binarize: true });
    assert.deepEqual([...(await bin.get(0)).label!.slice(0, 4)], [0, 1, 1, 0]);
  });

  it("rejects size mismatches and unreadable masks, naming the file", async () => {
    const ds = await PngFolderDataset.open(join(root, "bad"));
    await assert.rejects(ds.get(0), (e: Error & { code: string; file: string }) => {
      assert.equal(e.code, "ERR_DATA_SHAPE_MISMATCH");
      assert.ok(e.file.endsWith("mismatch.png"));
      return true;
    });
    await assert.rejects(ds.get(1), { code: "ERR_DATA_UNREADABLE" });
    await assert.rejects(PngFolderDataset.open(join(root, "nothing")), { code: "ERR_DATA_MISSING" });
  });
});
