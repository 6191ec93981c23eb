import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { assembleDicomSeries, decodeNifti, decodePng, dicomSeriesNiftiHeader, readDicom } from "@bcpseg/core";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { COMMANDS } from "./index.ts";

const FIXTURES = fileURLToPath(new URL("../../../core/test/fixtures/dicom/", import.meta.url));
const MODEL = fileURLToPath(new URL("../../../edge-api/test/fixtures/unet2d-64-fp32.onnx", import.meta.url));
const SEG_FIXTURE = fileURLToPath(new URL("../../../../test/dicom-seg/seg_fixture.py", import.meta.url));
const PYTHON = "/usr/bin/python3";
const DCIODVFY = "/usr/bin/dciodvfy";
const NO_PYDICOM =
  existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import pydicom, numpy"]).status === 0
    ? false
    : `${PYTHON} with pydicom and numpy is not installed (Debian python3-pydicom)`;
const MR_UID = "2.25.3141592653589793238462643383279502884197.2.1";
const CT_UID = "2.25.3141592653589793238462643383279502884197.2.2";

async function copySeries(name: string, to: string, skip = -1): Promise<void> {
  await mkdir(to, { recursive: true });
  const files = (await readdir(join(FIXTURES, name))).sort();
  // No extension: DICOM files are found by content.
  for (const [k, f] of files.entries()) if (k !== skip) await copyFile(join(FIXTURES, name, f), join(to, `IMG${k}`));
}
const volumeOf = async (name: string) =>
  assembleDicomSeries(
    await Promise.all(
      (await readdir(join(FIXTURES, name))).map(async (f) =>
        readDicom(new Uint8Array(await readFile(join(FIXTURES, name, f)))),
      ),
    ),
  );

describe("bcpseg data inspect / convert and predict on DICOM", () => {
  let dir: string;
  const cli = async (args: string[]) => {
    const io = captureIo(dir);
    return { code: await runCli(args, io, COMMANDS), out: io.out(), err: io.err() };
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-dicom-"));
    await copySeries("mr-explicit-le", join(dir, "study", "a", "mr"));
    await copySeries("ct-implicit-le", join(dir, "study", "b"));
    await writeFile(join(dir, "study", "notes.txt"), "not DICOM");
    await copySeries("mr-explicit-le", join(dir, "gap"), 0); // im01 holds slice 2 of 0..3: a hole
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("inspect reports each series of a nested folder: modality, slices, size, spacing, orientation", async () => {
    const r = await cli(["data", "inspect", "study", "--json"]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.equal(report.layout, "dicom");
    assert.equal(report.seriesCount, 2);
    assert.equal(report.problems, 0);
    const mr = report.series.find((s: { seriesInstanceUid: string }) => s.seriesInstanceUid === MR_UID);
    const ct = report.series.find((s: { seriesInstanceUid: string }) => s.seriesInstanceUid === CT_UID);
    assert.deepEqual([mr.modality, mr.slices, mr.rows, mr.columns, mr.files], ["MR", 4, 64, 48, 4]);
    assert.deepEqual([ct.modality, ct.transferSyntaxes], ["CT", ["Implicit VR Little Endian"]]);
    const want = (await volumeOf("ct-implicit-le")).spacing;
    ct.spacing.forEach((v: number, k: number) => {
      assert.ok(Math.abs(v - want[k]) < 1e-9);
    });
    assert.equal(ct.imageOrientationPatient.length, 6);
    const text = await cli(["data", "inspect", "study"]);
    assert.match(text.out, /2 DICOM series/);
    assert.match(text.out, /no problems found/);
  });

  it("inspect names the problems and exits 3: a missing slice, an unreadable file", async () => {
    const r = await cli(["data", "inspect", "gap", "--json"]);
    assert.equal(r.code, 3);
    const report = JSON.parse(r.out);
    assert.equal(report.series[0].problems[0].code, "ERR_DICOM_SERIES");
    assert.equal(report.series[0].problems[0].reason, "missing-slices");
    const bytes = await readFile(join(dir, "study", "b", "IMG0"));
    await mkdir(join(dir, "broken"), { recursive: true });
    await writeFile(join(dir, "broken", "cut.dcm"), bytes.subarray(0, 900));
    const b = await cli(["data", "inspect", "broken"]);
    assert.equal(b.code, 3);
    assert.match(b.out, /problem ERR_DICOM_FORMAT \(.*cut\.dcm\)/);
  });

  it("inspect names a compressed transfer syntax it cannot decode (Debian's pydicom JPEG 2000 file)", async (t) => {
    const jp2 = "/usr/lib/python3/dist-packages/pydicom/data/test_files/JPEG2000.dcm";
    if (!existsSync(jp2)) return t.skip(`${jp2} is not installed (Debian: python3-pydicom)`);
    const r = await cli(["data", "inspect", jp2, "--json"]);
    assert.equal(r.code, 3);
    const p = JSON.parse(r.out).series[0].problems[0];
    assert.equal(p.code, "ERR_DICOM_TRANSFER_SYNTAX");
    assert.match(p.message, /1\.2\.840\.10008\.1\.2\.4\.91 \(JPEG 2000 Image Compression\)/);
  });

  it("convert writes one series as NIfTI with the DICOM volume and geometry, atomically", async () => {
    const r = await cli(["data", "convert", join("study", "b"), "--out", join("nii", "ct.nii.gz"), "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await readdir(join(dir, "nii")), ["ct.nii.gz"]);
    const nii = decodeNifti(new Uint8Array(await readFile(join(dir, "nii", "ct.nii.gz"))));
    const s = await volumeOf("ct-implicit-le");
    assert.deepEqual(nii.shape, [...s.shape]);
    assert.equal(nii.dtype, "int16");
    assert.deepEqual(nii.data, s.data);
    const h = dicomSeriesNiftiHeader(s);
    for (const [a, b] of [
      [nii.header.srowX, h.srowX],
      [nii.header.srowY, h.srowY],
      [nii.header.srowZ, h.srowZ],
    ]) {
      a.forEach((v, k) => {
        assert.ok(Math.abs(v - b[k]) < 1e-4, `sform ${a} vs ${b}`);
      });
    }
  });

  it("convert writes every series of a folder, or the one --series names; a .nii.gz --out for two is a usage error", async () => {
    const all = await cli(["data", "convert", "study", "--out", "all"]);
    assert.equal(all.code, 0, all.err);
    assert.deepEqual((await readdir(join(dir, "all"))).sort(), [`${MR_UID}.nii.gz`, `${CT_UID}.nii.gz`].sort());
    const one = await cli(["data", "convert", "study", "--series", MR_UID, "--out", "one.nii.gz"]);
    assert.equal(one.code, 0, one.err);
    const two = await cli(["data", "convert", "study", "--out", "two.nii.gz"]);
    assert.equal(two.code, 2);
    assert.match(two.err, /2 series found/);
    const gap = await cli(["data", "convert", "gap", "--out", "gap-out"]);
    assert.equal(gap.code, 3);
    assert.match(gap.out, /skipped series .*ERR_DICOM_SERIES/);
  });

  it("predict labels a DICOM series as it labels the same volume converted to NIfTI (nifti and png outputs)", {
    timeout: 120_000,
  }, async () => {
    const d = await cli(["predict", MODEL, join("study", "a"), "-o", "pred-dicom", "--json"]);
    assert.equal(d.code, 0, d.err);
    const doc = JSON.parse(d.out);
    assert.equal(doc.outputs.length, 1);
    assert.equal(doc.outputs[0].series, MR_UID);
    const n = await cli(["predict", MODEL, "one.nii.gz", "-o", "pred-nifti"]);
    assert.equal(n.code, 0, n.err);
    const fromDicom = decodeNifti(new Uint8Array(await readFile(join(dir, "pred-dicom", `${MR_UID}_seg.nii.gz`))));
    const fromNifti = decodeNifti(new Uint8Array(await readFile(join(dir, "pred-nifti", "one_seg.nii.gz"))));
    assert.deepEqual(fromDicom.shape, [48, 64, 4]);
    assert.deepEqual(fromDicom.data, fromNifti.data);
    assert.deepEqual(fromDicom.header.srowX, fromNifti.header.srowX);
    const p = await cli(["predict", MODEL, join("study", "a"), "-o", "pred-png", "--format", "png"]);
    assert.equal(p.code, 0, p.err);
    const pngs = (await readdir(join(dir, "pred-png", `${MR_UID}_seg`))).sort();
    assert.deepEqual(pngs, ["0001.png", "0002.png", "0003.png", "0004.png"]);
    for (const [z, f] of pngs.entries()) {
      const png = decodePng(new Uint8Array(await readFile(join(dir, "pred-png", `${MR_UID}_seg`, f))));
      assert.deepEqual([png.width, png.height], [48, 64]);
      for (const [x, y] of [
        [0, 0],
        [47, 63],
        [20, 30],
      ])
        assert.equal(png.data[y * 48 + x], fromDicom.data[(x * 64 + y) * 4 + z]);
    }
  });

  it("predict --format dicom-seg writes <series>.seg.dcm: pydicom reads masks equal to the nifti output, dciodvfy no errors", {
    timeout: 120_000,
    skip: NO_PYDICOM,
  }, async (t) => {
    const r = await cli(["predict", MODEL, join("study", "a"), "-o", "pred-seg", "--format", "dicom-seg", "--json"]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await readdir(join(dir, "pred-seg")), [`${MR_UID}.seg.dcm`]);
    const seg = join(dir, "pred-seg", `${MR_UID}.seg.dcm`);
    const n = await cli(["predict", MODEL, join("study", "a"), "-o", "pred-seg-nii"]);
    assert.equal(n.code, 0, n.err);
    const nii = decodeNifti(new Uint8Array(await readFile(join(dir, "pred-seg-nii", `${MR_UID}_seg.nii.gz`))));
    const [X, Y, Z] = nii.shape;
    // The NIfTI label map as [slice, row, column], slices in the series' order along the normal, each slice's file.
    const files = (await readdir(join(dir, "study", "a", "mr"))).map((f) => join(dir, "study", "a", "mr", f));
    const uidOf = new Map(
      await Promise.all(
        files.map(async (f) => [readDicom(new Uint8Array(await readFile(f))).sopInstanceUid, f] as const),
      ),
    );
    const series = await volumeOf("mr-explicit-le");
    const labels = new Uint8Array(X * Y * Z);
    for (let z = 0; z < Z; z++)
      for (let y = 0; y < Y; y++)
        for (let x = 0; x < X; x++) labels[(z * Y + y) * X + x] = nii.data[(x * Y + y) * Z + z];
    assert.ok(
      labels.some((v) => v > 0),
      "the model labels something",
    );
    await writeFile(join(dir, "seg-labels.u8"), labels);
    const classes = ["background", "right ventricle", "myocardium", "left ventricle"];
    const exp = {
      files: series.slices.map((s) => uidOf.get(s.sopInstanceUid)),
      source: {}, // replaced by pydicom's reading of the files
      labels: join(dir, "seg-labels.u8"),
      classes,
    };
    await writeFile(join(dir, "seg-exp.json"), JSON.stringify(exp));
    const py = spawnSync(PYTHON, [SEG_FIXTURE, "check", seg, join(dir, "seg-exp.json")], { encoding: "utf8" });
    assert.notEqual(py.stdout.trim(), "", py.stderr);
    const summary = JSON.parse(py.stdout.trim().split("\n").at(-1) ?? "{}");
    assert.equal(summary.ok, true, summary.error ?? py.stderr);
    assert.deepEqual(summary.labels, classes.slice(1));
    if (!existsSync(DCIODVFY)) return t.skip(`${DCIODVFY} is not installed (Debian dicom3tools)`);
    const v = spawnSync(DCIODVFY, [seg], { encoding: "utf8" });
    const errors = `${v.stdout}\n${v.stderr}`.split("\n").filter((l) => l.trim().startsWith("Error"));
    assert.deepEqual(errors, []);
  });

  it("predict refuses a series that is not one volume (exit 3) and an unknown --format (exit 2)", async () => {
    const gap = await cli(["predict", MODEL, "gap", "-o", "pred-gap"]);
    assert.equal(gap.code, 3);
    assert.match(gap.err, /missing/);
    const fmt = await cli(["predict", MODEL, "study", "--format", "jpeg"]);
    assert.equal(fmt.code, 2);
  });
});
