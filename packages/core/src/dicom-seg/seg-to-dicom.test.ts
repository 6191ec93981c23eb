import assert from "node:assert/strict";
import { describe, it } from "node:test";
import dicomParser from "dicom-parser";
import { defaultContract2d } from "../contract/default-contract.ts";
import { createRng } from "../rng/create-rng.ts";
import { encodeDicomSeg } from "./encode-dicom-seg.ts";
import type { SegSource } from "./seg-source.ts";
import { segToDicom } from "./seg-to-dicom.ts";

const [S, R, C] = [3, 4, 5];
const source: SegSource = {
  studyInstanceUid: "1.2",
  seriesInstanceUid: "1.2.3",
  frameOfReferenceUid: "1.2.4",
  modality: "MR",
  rows: R,
  columns: C,
  pixelSpacing: [1, 1],
  imageOrientationPatient: [1, 0, 0, 0, 1, 0],
  slices: [0, 1, 2].map((k) => ({
    sopClassUid: "1.2.840.10008.5.1.4.1.1.4",
    sopInstanceUid: `1.2.3.${k}`,
    imagePositionPatient: [0, 0, 5 * k] as [number, number, number],
  })),
};
const contract = defaultContract2d();
const now = new Date(0);

describe("segToDicom", () => {
  it("writes the same SEG from [S, rows, columns] and from NIfTI [X, Y, Z] labels, with the contract's classes", () => {
    const slices = new Uint8Array(S * R * C);
    for (let i = 0; i < slices.length; i++) slices[i] = (i * 5) % 4;
    const xyz = new Uint8Array(S * R * C);
    for (let z = 0; z < S; z++)
      for (let y = 0; y < R; y++) for (let x = 0; x < C; x++) xyz[(x * R + y) * S + z] = slices[(z * R + y) * C + x];
    const a = segToDicom({ labels: slices, shape: [S, R, C] }, source, contract.classes, { rng: createRng(1), now });
    const b = segToDicom({ labels: xyz, shape: [C, R, S] }, source, contract.classes, {
      rng: createRng(1),
      now,
      layout: "xyz",
    });
    assert.deepEqual(a.bytes, b.bytes);
    assert.deepEqual(a.bytes, encodeDicomSeg(slices, source, contract.classes, { rng: createRng(1), now }));
    assert.equal(a.frames, 9);
    const named = segToDicom({ labels: slices, shape: [S, R, C] }, source, contract.classes, {
      modelName: contract.name,
    });
    assert.equal(dicomParser.parseDicom(named.bytes).string("x00081090"), "bcp-acdc-unet2d");
    assert.equal(dicomParser.parseDicom(named.bytes).string("x00080018"), named.sopInstanceUid);
  });

  it("takes one slice as [rows, columns], and refuses a shape that is not the series'", () => {
    const one = { ...source, sliceThickness: 8, slices: source.slices.slice(0, 1) };
    const r = segToDicom({ labels: new Uint8Array(R * C).fill(2), shape: [R, C] }, one, contract.classes);
    assert.equal(r.frames, 1);
    assert.throws(() => segToDicom({ labels: new Uint8Array(R * C), shape: [R, C] }, source, contract.classes), {
      code: "ERR_SHAPE",
    });
    assert.throws(
      () => segToDicom({ labels: new Uint8Array(S * R * C), shape: [S, C, R] }, source, contract.classes),
      /is \[3, 5, 4\], the source series wants \[3, 4, 5\]/,
    );
    assert.throws(
      () =>
        segToDicom({ labels: new Uint8Array(S * R * C), shape: [S, R, C] }, source, contract.classes, {
          layout: "xyz",
        }),
      { code: "ERR_SHAPE" },
    );
  });
});
