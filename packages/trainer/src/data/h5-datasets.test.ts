import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AcdcDataset } from "./acdc-dataset.ts";
import { writeH5 } from "./h5-node.ts";
import { LA_SCANS_DIR, LaDataset } from "./la-dataset.ts";

const ramp = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => (i % 97) * scale);
const labels = (n: number, classes: number) => Uint8Array.from({ length: n }, (_, i) => i % classes);

let root: string;
const slices = ["patient002_frame01_slice_1", "patient002_frame01_slice_2", "patient001_frame01_slice_1"];

before(async () => {
  root = await mkdtemp(join(tmpdir(), "bcpseg-h5-"));
  // ACDC: slices [H, W] of varying size, one volume [S, H, W].
  const acdc = join(root, "ACDC");
  await mkdir(join(acdc, "data", "slices"), { recursive: true });
  await writeFile(join(acdc, "train_slices.list"), `${slices.join("\n")}\n`);
  for (const [k, name] of slices.entries()) {
    const [H, W] = [6 + k, 5];
    await writeH5(join(acdc, "data", "slices", `${name}.h5`), {
      image: { data: ramp(H * W, 0.01), shape: [H, W] },
      label: { data: labels(H * W, 4), shape: [H, W] },
    });
  }
  await writeFile(join(acdc, "val.list"), "patient003_frame01\n");
  await writeH5(join(acdc, "data", "patient003_frame01.h5"), {
    image: { data: ramp(3 * 6 * 5), shape: [3, 6, 5] },
    label: { data: labels(3 * 6 * 5, 4), shape: [3, 6, 5] },
  });
  // LA: volumes [X, Y, Z], label stored as int64 to check the conversion.
  const la = join(root, "LA");
  await mkdir(join(la, LA_SCANS_DIR, "CASEA"), { recursive: true });
  await mkdir(join(la, LA_SCANS_DIR, "CASEB"), { recursive: true });
  await writeFile(join(la, "train.list"), "CASEA\nCASEB\n");
  await writeH5(join(la, LA_SCANS_DIR, "CASEA", "mri_norm2.h5"), {
    image: { data: Float64Array.from(ramp(4 * 5 * 3)), shape: [4, 5, 3] },
    label: { data: BigInt64Array.from({ length: 60 }, (_, i) => BigInt(i % 2)), shape: [4, 5, 3] },
  });
  await writeH5(join(la, LA_SCANS_DIR, "CASEB", "mri_norm2.h5"), {
    image: { data: ramp(4 * 5 * 3), shape: [4, 5, 3] },
    label: { data: labels(4 * 5 * 2, 2), shape: [4, 5, 2] },
  });
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("AcdcDataset", () => {
  it("reads training slices [H, W] with patients from the list", async () => {
    const ds = await AcdcDataset.open(join(root, "ACDC"));
    assert.equal(ds.length, 3);
    assert.equal(ds.rank, 2);
    assert.deepEqual(ds.patients, ["patient002", "patient002", "patient001"]);
    const s = await ds.get(1);
    assert.deepEqual(s.shape, [7, 5]);
    assert.ok(s.image instanceof Float32Array);
    assert.ok(s.label instanceof Uint8Array);
    assert.equal(s.image.length, 35);
    assert.ok(Math.abs(s.image[3] - 0.03) < 1e-7);
    assert.deepEqual([...s.label!.slice(0, 5)], [0, 1, 2, 3, 0]);
    assert.equal(s.id, slices[1]);
    assert.equal(s.patient, "patient002");
  });

  it("caches reads: the same index gives the same sample", async () => {
    const ds = await AcdcDataset.open(join(root, "ACDC"), { cacheSize: 2 });
    const [a, b] = await Promise.all([ds.get(0), ds.get(0)]);
    assert.equal(a, b);
  });

  it("reads validation volumes [S, H, W]", async () => {
    const ds = await AcdcDataset.open(join(root, "ACDC"), { split: "val" });
    assert.equal(ds.rank, 3);
    const v = await ds.get(0);
    assert.deepEqual(v.shape, [3, 6, 5]);
    assert.equal(v.patient, "patient003");
  });

  it("rejects labels outside the declared classes, naming the file", async () => {
    const ds = await AcdcDataset.open(join(root, "ACDC"), { classes: 3 });
    await assert.rejects(ds.get(0), (e: Error & { code: string }) => {
      assert.equal(e.code, "ERR_DATA_LABEL_VALUES");
      assert.match(e.message, /patient002_frame01_slice_1\.h5.*3/);
      return true;
    });
  });

  it("rejects a bad index and a missing list", async () => {
    const ds = await AcdcDataset.open(join(root, "ACDC"));
    await assert.rejects(ds.get(3), { code: "ERR_ARGUMENT" });
    await assert.rejects(AcdcDataset.open(join(root, "ACDC"), { split: "test" }), { code: "ERR_DATA_MISSING" });
  });

  it("rejects missing, corrupt and truncated files and missing datasets", async () => {
    const dir = join(root, "bad");
    await mkdir(join(dir, "data", "slices"), { recursive: true });
    const good = await readFile(join(root, "ACDC", "data", "slices", `${slices[0]}.h5`));
    await writeFile(join(dir, "data", "slices", "garbage.h5"), "not hdf5 at all");
    await writeFile(join(dir, "data", "slices", "cut.h5"), good.subarray(0, Math.floor(good.length * 0.7)));
    await writeH5(join(dir, "data", "slices", "nolabel.h5"), { image: { data: ramp(4), shape: [2, 2] } });
    await writeH5(join(dir, "data", "slices", "mismatch.h5"), {
      image: { data: ramp(6), shape: [2, 3] },
      label: { data: labels(6, 2), shape: [3, 2] },
    });
    await writeH5(join(dir, "data", "slices", "rank3.h5"), {
      image: { data: ramp(8), shape: [2, 2, 2] },
      label: { data: labels(8, 2), shape: [2, 2, 2] },
    });
    const ids = ["absent", "garbage", "cut", "nolabel", "mismatch", "rank3"];
    const ds = new AcdcDataset(dir, ids);
    const codes = ["ERR_DATA_MISSING", "ERR_DATA_UNREADABLE", "ERR_DATA_UNREADABLE", "ERR_DATA_MISSING"];
    codes.push("ERR_DATA_SHAPE_MISMATCH", "ERR_DATA_SHAPE_MISMATCH");
    for (const [i, code] of codes.entries()) {
      await assert.rejects(ds.get(i), (e: Error & { code: string; file: string }) => {
        assert.equal(e.code, code, `${ids[i]}: ${e.message}`);
        assert.ok(e.file.endsWith(`${ids[i]}.h5`));
        return true;
      });
    }
  });
});

describe("LaDataset", () => {
  it("reads [X, Y, Z] volumes, converting float64 images and int64 labels", async () => {
    const ds = await LaDataset.open(join(root, "LA"));
    assert.deepEqual(ds.ids, ["CASEA", "CASEB"]);
    assert.deepEqual(ds.patients, ["CASEA", "CASEB"]);
    const v = await ds.get(0);
    assert.deepEqual(v.shape, [4, 5, 3]);
    assert.ok(v.image instanceof Float32Array && v.label instanceof Uint8Array);
    assert.deepEqual([...v.label!.slice(0, 4)], [0, 1, 0, 1]);
    assert.equal(v.image[5], 5);
  });

  it("rejects an image/label shape mismatch", async () => {
    const ds = await LaDataset.open(join(root, "LA"));
    await assert.rejects(ds.get(1), { code: "ERR_DATA_SHAPE_MISMATCH" });
  });
});
