import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeNifti } from "@bcpseg/core";
import { findPairs } from "./find-pairs.ts";
import { NiftiFolderDataset } from "./nifti-folder-dataset.ts";

let root: string;
const shape = [4, 3, 2];
const image = Float32Array.from({ length: 24 }, (_, i) => i * 0.5);
const label = Uint8Array.from({ length: 24 }, (_, i) => i % 3);

async function put(path: string, data: Float32Array | Uint8Array, opts: { gzip?: boolean; shape?: number[] } = {}) {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, encodeNifti({ data, shape: opts.shape ?? shape, spacing: [1.5, 1.5, 10], gzip: opts.gzip }));
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), "bcpseg-nii-"));
  // Raw ACDC: patient folders with <id>.nii.gz + <id>_gt.nii.gz, and a 4-D cine file without label.
  for (const p of ["patient001", "patient002"]) {
    for (const f of ["frame01", "frame12"]) {
      await put(join(root, "acdc", p, `${p}_${f}.nii.gz`), image, { gzip: true });
      await put(join(root, "acdc", p, `${p}_${f}_gt.nii.gz`), label, { gzip: true });
    }
    await put(join(root, "acdc", p, `${p}_4d.nii.gz`), image, { gzip: true });
  }
  // Decathlon: imagesTr/labelsTr, plain .nii, with macOS `._` junk the real archives carry.
  for (const id of ["la_003", "la_004"]) {
    await put(join(root, "msd", "imagesTr", `${id}.nii`), image);
    await put(join(root, "msd", "labelsTr", `${id}.nii`), label);
  }
  await put(join(root, "msd", "imagesTr", "la_005.nii"), image);
  await writeFile(join(root, "msd", "imagesTr", "._la_003.nii"), "junk");
  // nnU-Net: imagesTr/<id>_0000.nii.gz (+ a second channel that must be ignored).
  await put(join(root, "nnunet", "imagesTr", "case_001_0000.nii.gz"), image, { gzip: true });
  await put(join(root, "nnunet", "imagesTr", "case_001_0001.nii.gz"), image, { gzip: true });
  await put(join(root, "nnunet", "labelsTr", "case_001.nii.gz"), label, { gzip: true });
  // Broken: a truncated image, a mismatched label, bad label values.
  await put(join(root, "bad", "a.nii"), image);
  await writeFile(join(root, "bad", "a_gt.nii"), new Uint8Array(100));
  await put(join(root, "bad", "b.nii"), image);
  await put(join(root, "bad", "b_gt.nii"), label.slice(0, 12), { shape: [4, 3, 1] });
  await put(join(root, "bad", "c.nii"), image);
  await put(
    join(root, "bad", "c_gt.nii"),
    Float32Array.from(label, (v) => v + 0.5),
  );
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("findPairs", () => {
  it("pairs <id> with <id>_gt in patient folders (raw ACDC)", async () => {
    const { layout, pairs } = await findPairs(join(root, "acdc"), [".nii.gz", ".nii"]);
    assert.equal(layout, "suffix");
    const labeled = pairs.filter((p) => p.label).map((p) => p.id);
    assert.deepEqual(labeled.sort(), [
      "patient001_frame01",
      "patient001_frame12",
      "patient002_frame01",
      "patient002_frame12",
    ]);
    assert.deepEqual(
      pairs
        .filter((p) => !p.label)
        .map((p) => p.id)
        .sort(),
      ["patient001_4d", "patient002_4d"],
    );
  });

  it("reads Decathlon and nnU-Net layouts, skipping ._ files and extra channels", async () => {
    const msd = await findPairs(join(root, "msd"), [".nii.gz", ".nii"]);
    assert.equal(msd.layout, "decathlon");
    assert.deepEqual(
      msd.pairs.map((p) => [p.id, p.label !== undefined]),
      [
        ["la_003", true],
        ["la_004", true],
        ["la_005", false],
      ],
    );
    const nn = await findPairs(join(root, "nnunet"), [".nii.gz"]);
    assert.deepEqual(
      nn.pairs.map((p) => p.id),
      ["case_001"],
    );
    assert.ok(nn.pairs[0].label?.endsWith("case_001.nii.gz"));
  });
});

describe("NiftiFolderDataset", () => {
  it("reads labeled pairs [X, Y, Z] with spacing and patient", async () => {
    const ds = await NiftiFolderDataset.open(join(root, "acdc"), { classes: 4 });
    assert.equal(ds.length, 4);
    assert.deepEqual(ds.patients, ["patient001", "patient001", "patient002", "patient002"]);
    const s = await ds.get(2);
    assert.equal(s.id, "patient002_frame01");
    assert.deepEqual(s.shape, shape);
    assert.deepEqual(s.spacing, [1.5, 1.5, 10]);
    assert.deepEqual([...s.image], [...image]);
    assert.deepEqual([...s.label!], [...label]);
  });

  it("keeps unlabeled images when asked", async () => {
    const ds = await NiftiFolderDataset.open(join(root, "msd"), { includeUnlabeled: true });
    assert.deepEqual(ds.ids, ["la_003", "la_004", "la_005"]);
    assert.equal((await ds.get(2)).label, undefined);
    assert.equal((await NiftiFolderDataset.open(join(root, "msd"))).length, 2);
  });

  it("rejects unreadable files, shape mismatches and bad label values, naming the file", async () => {
    const ds = await NiftiFolderDataset.open(join(root, "bad"));
    const expect = [
      ["ERR_DATA_UNREADABLE", "a_gt.nii"],
      ["ERR_DATA_SHAPE_MISMATCH", "b_gt.nii"],
      ["ERR_DATA_LABEL_VALUES", "c_gt.nii"],
    ];
    for (const [i, [code, file]] of expect.entries()) {
      await assert.rejects(ds.get(i), (e: Error & { code: string; file: string }) => {
        assert.equal(e.code, code, e.message);
        assert.ok(e.file.endsWith(file));
        return true;
      });
    }
    await assert.rejects(NiftiFolderDataset.open(join(root, "nowhere")), { code: "ERR_DATA_MISSING" });
  });

  it("checks the declared classes", async () => {
    const ds = await NiftiFolderDataset.open(join(root, "msd"), { classes: 2 });
    await assert.rejects(ds.get(0), { code: "ERR_DATA_LABEL_VALUES" });
  });
});
