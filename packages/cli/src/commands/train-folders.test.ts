// `bcpseg train` on PNG and NIfTI folders, then `bcpseg predict` with the checkpoint (PNG, NIfTI, HDF5 inputs)
// and with its fp32 ONNX export, which must agree.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decodeNifti, decodePng, encodeNifti, reverseAxes, synthSlices2d } from "@bcpseg/core";
import { writeH5 } from "@bcpseg/trainer";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { COMMANDS } from "./index.ts";

const SLOW = process.env.BCPSEG_QUICK === "1" ? "slow test (BCPSEG_QUICK=1)" : false;
const SIZE = 32;
const TINY = [
  "--size",
  `${SIZE},${SIZE}`,
  "--width",
  "0.125",
  "--batch",
  "2",
  "--labeled-patients",
  "1",
  "--pretrain-iterations",
  "3",
  "--selftrain-iterations",
  "3",
  "--val-every",
  "0",
  "--backend",
  "wasm",
  "--quiet",
  "--json",
];

describe("bcpseg train on folders, bcpseg predict with a checkpoint", { skip: SLOW }, () => {
  let dir: string;
  const bcpseg = async (args: string[]) => {
    const io = captureIo(dir);
    const code = await runCli(args, io, COMMANDS);
    assert.equal(code, 0, io.err());
    return JSON.parse(io.out());
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-folders-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("trains on a PNG folder (images/ + masks/)", { timeout: 300_000 }, async () => {
    await bcpseg(["data", "synth", "-o", "png", "--patients", "4", "--size", `${SIZE},${SIZE}`, "--json"]);
    // Enough pre-training to predict some foreground, so the predictions compared below are not all background.
    const r = await bcpseg([
      "train",
      "--data-kind",
      "png",
      "--data-root",
      "png",
      "--out",
      "run-png",
      ...TINY,
      "--pretrain-iterations",
      "100",
      "--width",
      "0.25",
      "--batch",
      "4",
    ]);
    assert.equal(r.status, "completed");
    assert.ok(r.evaluation.mean.dice >= 0 && r.evaluation.mean.dice <= 1);
    const report = JSON.parse(await readFile(join(dir, "run-png", "report.json"), "utf8"));
    // 4 patients: the last one held out for validation, patient001's 10 slices labeled, 20 unlabeled (flags: last wins).
    assert.deepEqual(report.split, {
      labeled: 10,
      unlabeled: 20,
      labeledPatients: ["patient001"],
      validation: ["patient004"],
    });
  });

  it("trains a 2-D model on the slices of a NIfTI folder", { timeout: 300_000 }, async () => {
    const s = synthSlices2d({ patients: 4, size: [SIZE, SIZE], seed: 7 });
    const n = SIZE * SIZE * 10;
    for (let p = 0; p < 4; p++) {
      // Each patient's [S, H, W] stack stored as the NIfTI volume [X, Y, Z] = [W, H, S].
      const img = reverseAxes(s.images.slice(p * n, (p + 1) * n), [10, SIZE, SIZE]);
      const lab = reverseAxes(s.labels.slice(p * n, (p + 1) * n), [10, SIZE, SIZE]);
      await mkdir(join(dir, "nii", "imagesTr"), { recursive: true });
      await mkdir(join(dir, "nii", "labelsTr"), { recursive: true });
      await writeFile(join(dir, "nii", "imagesTr", `case${p}.nii.gz`), encodeNifti({ ...img, gzip: true }));
      await writeFile(join(dir, "nii", "labelsTr", `case${p}.nii.gz`), encodeNifti({ ...lab, gzip: true }));
    }
    const r = await bcpseg(["train", "--data-kind", "nifti", "--data-root", "nii", "--out", "run-nii", ...TINY]);
    assert.equal(r.status, "completed");
    assert.ok(Number.isFinite(r.evaluation.mean.dice));
  });

  it("predicts PNG, NIfTI and HDF5 inputs from a checkpoint, as its ONNX export does", {
    timeout: 300_000,
  }, async () => {
    const s = synthSlices2d({ patients: 1, size: [SIZE, SIZE], seed: 99 });
    await mkdir(join(dir, "in"), { recursive: true });
    await writeH5(join(dir, "in", "slice.h5"), {
      image: { data: s.images.slice(5 * SIZE * SIZE, 6 * SIZE * SIZE), shape: [SIZE, SIZE] },
    });
    const vol = reverseAxes(s.images.slice(), [10, SIZE, SIZE]);
    await writeFile(join(dir, "in", "vol.nii.gz"), encodeNifti({ ...vol, spacing: [1.5, 1.5, 8], gzip: true }));
    const pngIn = join("png", "images", "patient004_slice05.png");
    const ck = await bcpseg(["predict", "-m", "run-png", "in", pngIn, "-o", "ck", "--backend", "wasm", "--json"]);
    assert.deepEqual(
      ck.outputs.map((o: { output: string }) => o.output.split("/").pop()),
      ["slice_seg.png", "vol_seg.nii.gz", "patient004_slice05_seg.png"],
    );
    assert.deepEqual(ck.outputs[0].shape, [SIZE, SIZE]);
    const nii = decodeNifti(new Uint8Array(await readFileBytes(ck.outputs[1].output)));
    assert.deepEqual(nii.shape, [SIZE, SIZE, 10]);
    assert.deepEqual(nii.spacing, [1.5, 1.5, 8]);

    const exported = await bcpseg(["export", "run-png", "--precision", "fp32", "--json"]);
    const onnx = await bcpseg(["predict", "-m", exported.model, "in", pngIn, "-o", "onnx", "--json"]);
    for (const k of [0, 1, 2]) {
      const read = async (path: string) =>
        k === 1 ? decodeNifti(await readFileBytes(path)).data : decodePng(await readFileBytes(path)).data;
      const a = await read(ck.outputs[k].output);
      const b = await read(onnx.outputs[k].output);
      assert.ok(
        new Set(a).size >= 2,
        `the model predicts some foreground (input ${k}: ${[...new Set(a)]} / onnx ${[...new Set(b)]})`,
      );
      let same = 0;
      for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
      assert.ok(same / a.length >= 0.99, `checkpoint and ONNX agree on ${same} of ${a.length} pixels`);
    }
    assert.deepEqual(onnx.outputs[1].shape, [SIZE, SIZE, 10]);
    assert.equal((await readdir(join(dir, "ck"))).length, 3);
  });
});

async function readFileBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
