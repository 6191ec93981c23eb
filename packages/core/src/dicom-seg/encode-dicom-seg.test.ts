import assert from "node:assert/strict";
import { describe, it } from "node:test";
import dicomParser from "dicom-parser";
import { createRng } from "../rng/create-rng.ts";
import { dicomSegByteBound, encodeDicomSeg } from "./encode-dicom-seg.ts";
import { planDicomSeg } from "./plan-dicom-seg.ts";
import type { SegClass } from "./seg-classes.ts";
import type { SegSource } from "./seg-source.ts";

const CLASSES: SegClass[] = ["background", "right ventricle", "myocardium", "left ventricle"].map((name, index) => ({
  index,
  name,
}));
const CODE = { value: "85756007", scheme: "SCT", meaning: "Tissue" };
const NOW = new Date(Date.UTC(2026, 11, 2, 13, 4, 5, 6));

function source(S: number, R: number, C: number): SegSource {
  return {
    studyInstanceUid: "1.2.3",
    seriesInstanceUid: "1.2.3.4",
    frameOfReferenceUid: "1.2.3.5",
    patientId: "P",
    modality: "MR",
    rows: R,
    columns: C,
    pixelSpacing: [1.25, 1.5],
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    // Listed from the top down: the position index runs the other way.
    slices: Array.from({ length: S }, (_, k) => ({
      sopClassUid: "1.2.840.10008.5.1.4.1.1.4",
      sopInstanceUid: `1.2.3.4.${k + 1}`,
      imagePositionPatient: [0, 0, -8 * k] as [number, number, number],
    })),
  };
}

/** Label k at pixel i of slice z: (i + z) mod K, slice 1 all background. */
function labelsOf(S: number, R: number, C: number, K = 4): Uint8Array {
  const out = new Uint8Array(S * R * C);
  for (let z = 0; z < S; z++) if (z !== 1) for (let i = 0; i < R * C; i++) out[z * R * C + i] = (i * 3 + z) % K;
  return out;
}

/** Reads a SEG back with dicom-parser: frames as [segment, slice index, mask] with the mask unpacked LSB first. */
function readBack(bytes: Uint8Array) {
  const ds = dicomParser.parseDicom(bytes);
  const rows = ds.uint16("x00280010") as number;
  const cols = ds.uint16("x00280011") as number;
  const n = Number(ds.string("x00280008"));
  const pixel = ds.elements.x7fe00010;
  const perFrame = ds.elements.x52009230.items ?? [];
  const frames = perFrame.map((item, f) => {
    const g = item.dataSet as dicomParser.DataSet;
    const seg = g.elements.x0062000a.items?.[0].dataSet?.uint16("x0062000b");
    const src = g.elements.x00089124.items?.[0].dataSet?.elements.x00082112.items?.[0].dataSet;
    const div = g.elements.x00209111.items?.[0].dataSet;
    const mask = new Uint8Array(rows * cols);
    for (let i = 0; i < rows * cols; i++) {
      const bit = f * rows * cols + i;
      mask[i] = (bytes[pixel.dataOffset + (bit >> 3)] >> (bit & 7)) & 1;
    }
    return {
      segment: seg,
      sop: src?.string("x00081155"),
      position: g.elements.x00209113.items?.[0].dataSet?.string("x00200032"),
      index: [div?.uint32("x00209157", 0), div?.uint32("x00209157", 1)],
      mask,
    };
  });
  return { ds, rows, cols, n, frames, pixelLength: pixel.length };
}

describe("encodeDicomSeg", () => {
  it("writes a Part 10 file dicom-parser reads: meta, SOP class, frames on their source slices, exact masks", () => {
    const [S, R, C] = [4, 5, 7];
    const labels = labelsOf(S, R, C);
    const bytes = encodeDicomSeg(labels, source(S, R, C), CLASSES, { rng: createRng(1), now: NOW });
    assert.equal(new TextDecoder().decode(bytes.subarray(128, 132)), "DICM");
    assert.ok(bytes.subarray(0, 128).every((b) => b === 0));
    const { ds, n, frames, pixelLength } = readBack(bytes);
    assert.equal(ds.string("x00020010"), "1.2.840.10008.1.2.1");
    assert.equal(ds.string("x00080016"), "1.2.840.10008.5.1.4.1.1.66.4");
    assert.equal(ds.string("x00020003"), ds.string("x00080018"));
    assert.equal(ds.string("x00200052"), "1.2.3.5");
    assert.equal(ds.string("x00620001"), "BINARY");
    assert.equal(ds.string("x00080023"), "20261202");
    assert.equal(ds.string("x00080033"), "130405.006000");
    assert.equal(ds.elements.x00620002.items?.length, 3);
    // Slices 0, 2, 3 hold every class; slice 1 none: 3 segments x 3 slices.
    assert.equal(n, 9);
    assert.equal(frames.length, 9);
    assert.equal(pixelLength, Math.ceil((9 * R * C) / 8) + (Math.ceil((9 * R * C) / 8) & 1));
    const seen = new Set<string>();
    for (const f of frames) {
      const z = Number(f.sop?.split(".").at(-1)) - 1;
      assert.equal(f.position, `0\\0\\${-8 * z}`);
      // The position index counts along the normal (+z): slice 3 (lowest) is 1.
      assert.deepEqual(f.index, [f.segment, S - z]);
      const want = labels.subarray(z * R * C, (z + 1) * R * C).map((v) => (v === f.segment ? 1 : 0));
      assert.deepEqual(f.mask, want, `segment ${f.segment} slice ${z}`);
      seen.add(`${f.segment}:${z}`);
    }
    assert.equal(seen.size, 9);
    assert.equal(seen.has("1:1"), false);
    // Frames run segment by segment, each up the normal.
    assert.deepEqual(
      frames.map((f) => f.index.join(",")),
      ["1,1", "1,2", "1,4", "2,1", "2,2", "2,4", "3,1", "3,2", "3,4"],
    );
  });

  it("is exactly as long as planned, within the bound, and replays with the same generator", () => {
    const [S, R, C] = [3, 9, 11];
    const labels = labelsOf(S, R, C);
    const plan = planDicomSeg(labels, source(S, R, C), CLASSES, { rng: createRng(5), now: NOW });
    const a = plan.encode();
    assert.equal(a.length, plan.byteLength);
    assert.equal(a.length % 2, 0);
    assert.ok(dicomSegByteBound(source(S, R, C), CLASSES, { now: NOW }) >= a.length);
    const all = encodeDicomSeg(labels, source(S, R, C), CLASSES, {
      rng: createRng(5),
      now: NOW,
      omitEmptyFrames: false,
    });
    assert.equal(dicomSegByteBound(source(S, R, C), CLASSES, { now: NOW }), all.length);
    assert.deepEqual(encodeDicomSeg(labels, source(S, R, C), CLASSES, { rng: createRng(5), now: NOW }), a);
    const other = planDicomSeg(labels, source(S, R, C), CLASSES, { rng: createRng(6), now: NOW });
    assert.notEqual(other.sopInstanceUid, plan.sopInstanceUid);
    assert.notEqual(plan.sopInstanceUid, plan.seriesInstanceUid);
  });

  it("writes every frame when asked, and one empty frame for an empty volume", () => {
    const [S, R, C] = [3, 4, 4];
    const all = readBack(encodeDicomSeg(labelsOf(S, R, C), source(S, R, C), CLASSES, { omitEmptyFrames: false }));
    assert.equal(all.n, 9);
    assert.ok(all.frames.filter((f) => f.sop === "1.2.3.4.2").every((f) => f.mask.every((v) => v === 0)));
    const empty = readBack(encodeDicomSeg(new Uint8Array(S * R * C), source(S, R, C), CLASSES));
    assert.equal(empty.n, 1);
    assert.equal(empty.frames[0].segment, 1);
    assert.ok(empty.frames[0].mask.every((v) => v === 0));
  });

  it("references frames of a multi-frame source and declares UTF-8 for non-ASCII text", () => {
    const s = source(2, 3, 3);
    const multi = {
      ...s,
      patientName: "Ærø^Zoë",
      slices: s.slices.map((sl, k) => ({ ...sl, sopInstanceUid: "1.2.9", frameNumber: k + 1 })),
    };
    const { ds } = readBack(encodeDicomSeg(labelsOf(2, 3, 3), multi, CLASSES));
    assert.equal(ds.string("x00080005"), "ISO_IR 192");
    assert.equal(new TextDecoder().decode(bytesOf(ds, "x00100010")).trim(), "Ærø^Zoë");
    const refs = ds.elements.x00081115.items?.[0].dataSet?.elements.x0008114a.items ?? [];
    assert.equal(refs.length, 1);
    const first = ds.elements.x52009230.items?.[0].dataSet;
    const sis = first?.elements.x00089124.items?.[0].dataSet?.elements.x00082112.items?.[0].dataSet;
    assert.equal(sis?.string("x00081160"), "1");
    assert.equal(readBack(encodeDicomSeg(labelsOf(2, 3, 3), s, CLASSES)).ds.string("x00080005"), undefined);
  });

  it("codes known classes with SNOMED CT and others with the declared local scheme", () => {
    const classes: SegClass[] = [
      { index: 0, name: "background" },
      { index: 1, name: "Left_Atrium", color: "#ffffff" },
      { index: 2, name: "scar\\tissue" },
      {
        index: 3,
        name: "own",
        codes: { category: CODE, type: { value: "80891009", scheme: "SCT", meaning: "Heart" } },
      },
    ];
    const { ds } = readBack(encodeDicomSeg(labelsOf(2, 3, 3, 4), source(2, 3, 3), classes));
    const items = (ds.elements.x00620002.items ?? []).map((i) => i.dataSet as dicomParser.DataSet);
    const type = (d: dicomParser.DataSet) => d.elements.x0062000f.items?.[0].dataSet;
    assert.equal(type(items[0])?.string("x00080100"), "82471001");
    assert.equal(type(items[0])?.string("x00080102"), "SCT");
    assert.deepEqual(
      [0, 1, 2].map((k) => items[0].uint16("x0062000d", k)),
      [65535, 32896, 32896],
    );
    assert.equal(items[1].string("x00620005"), "scar tissue");
    assert.equal(type(items[1])?.string("x00080102"), "99BCPSEG");
    assert.equal(type(items[1])?.string("x00080104"), "scar tissue");
    assert.equal(ds.elements.x00080110.items?.[0].dataSet?.string("x00080102"), "99BCPSEG");
    assert.equal(type(items[2])?.string("x00080104"), "Heart");
    assert.equal(items[2].elements.x00620003.items?.[0].dataSet?.string("x00080100"), "85756007");
  });
});

describe("planDicomSeg refuses, with a code, before any packing", () => {
  const [S, R, C] = [2, 3, 4];
  const labels = labelsOf(S, R, C);
  const cases: Array<[string, () => unknown, RegExp | object]> = [
    [
      "labels of the wrong length",
      () => planDicomSeg(labels.subarray(1), source(S, R, C), CLASSES),
      { code: "ERR_SHAPE" },
    ],
    [
      "a label that is no class",
      () => planDicomSeg(labelsOf(S, R, C, 5), source(S, R, C), CLASSES),
      { code: "ERR_RANGE" },
    ],
    [
      "labels that are not Uint8",
      () => planDicomSeg(new Uint16Array(24) as never, source(S, R, C), CLASSES),
      { code: "ERR_DTYPE" },
    ],
    [
      "a missing UID",
      () => planDicomSeg(labels, { ...source(S, R, C), studyInstanceUid: "" }, CLASSES),
      /studyInstanceUid/,
    ],
    [
      "a UID with letters",
      () => planDicomSeg(labels, { ...source(S, R, C), frameOfReferenceUid: "1.2.x" }, CLASSES),
      /frameOfReferenceUid/,
    ],
    ["rows past 65535", () => planDicomSeg(labels, { ...source(S, R, C), rows: 70000 }, CLASSES), /rows/],
    [
      "a NaN position",
      () => {
        const s = source(S, R, C);
        return planDicomSeg(
          labels,
          { ...s, slices: [s.slices[0], { ...s.slices[1], imagePositionPatient: [0, Number.NaN, 0] }] },
          CLASSES,
        );
      },
      /slices\[1\]\.imagePositionPatient/,
    ],
    [
      "two slices at one position",
      () => {
        const s = source(S, R, C);
        return planDicomSeg(
          labels,
          { ...s, slices: [s.slices[0], { ...s.slices[1], imagePositionPatient: [5, 5, 0] }] },
          CLASSES,
        );
      },
      /lies at the position of slices\[0\]/,
    ],
    [
      "a skewed orientation",
      () => planDicomSeg(labels, { ...source(S, R, C), imageOrientationPatient: [1, 0, 0, 0.5, 1, 0] }, CLASSES),
      /orthogonal/,
    ],
    [
      "a code meaning past 64 characters",
      () =>
        planDicomSeg(labels, source(S, R, C), [
          CLASSES[0],
          { index: 1, name: "x", codes: { category: CODE, type: { ...CODE, meaning: "m".repeat(65) } } },
        ]),
      /classes\[1\]\.codes\.type\.meaning/,
    ],
    [
      "an rng that is not one",
      () => planDicomSeg(labels, source(S, R, C), CLASSES, { rng: {} as never }),
      /options\.rng/,
    ],
    [
      "one slice without a thickness",
      () => planDicomSeg(labels.subarray(0, R * C), { ...source(1, R, C), sliceThickness: undefined }, CLASSES),
      /sliceThickness: is needed for a series of one slice/,
    ],
    [
      "a date that is not DA",
      () => planDicomSeg(labels, { ...source(S, R, C), studyDate: "2026-12-02" }, CLASSES),
      /studyDate/,
    ],
    [
      "a patient ID with a backslash",
      () => planDicomSeg(labels, { ...source(S, R, C), patientId: "a\\b" }, CLASSES),
      /patientId/,
    ],
    [
      "a series as the source object's wrong type",
      () => planDicomSeg(labels, null as never, CLASSES),
      { code: "ERR_SEG_SOURCE" },
    ],
    ["one class only", () => planDicomSeg(labels, source(S, R, C), CLASSES.slice(0, 1)), { code: "ERR_ARGUMENT" }],
    [
      "class indices with a gap",
      () => planDicomSeg(labels, source(S, R, C), [CLASSES[0], { index: 2, name: "x" }]),
      /indices/,
    ],
    [
      "a bad colour",
      () => planDicomSeg(labels, source(S, R, C), [CLASSES[0], { index: 1, name: "x", color: "red" }]),
      /color/,
    ],
    [
      "a content label in lower case",
      () => planDicomSeg(labels, source(S, R, C), CLASSES, { contentLabel: "seg" }),
      /contentLabel/,
    ],
    [
      "a file over maxBytes",
      () => planDicomSeg(labels, source(S, R, C), CLASSES, { maxBytes: 1000 }),
      { code: "ERR_SEG_TOO_LARGE" },
    ],
  ];
  for (const [what, run, want] of cases) {
    it(what, () => assert.throws(run, want as RegExp));
  }

  it("names the path, is of kind input, and its maxBytes error says both sizes", () => {
    try {
      planDicomSeg(labels, { ...source(S, R, C), rows: 0 }, CLASSES);
      assert.fail("no error");
    } catch (e) {
      assert.equal((e as { kind: string }).kind, "input");
      assert.deepEqual(
        (e as { details: Array<{ path: string }> }).details.map((i) => i.path),
        ["rows"],
      );
    }
    // The same generator gives the same UIDs, so the same size (2.25 UIDs differ in length).
    const rng = () => ({ rng: createRng(2) });
    const size = planDicomSeg(labels, source(S, R, C), CLASSES, rng()).byteLength;
    assert.throws(
      () => planDicomSeg(labels, source(S, R, C), CLASSES, { ...rng(), maxBytes: size - 1 }),
      (e: { details: object }) => {
        assert.deepEqual(e.details, { bytes: size, maxBytes: size - 1 });
        return true;
      },
    );
    assert.equal(planDicomSeg(labels, source(S, R, C), CLASSES, { ...rng(), maxBytes: size }).byteLength, size);
  });

  it("bounds a huge declared series fast, without building its frames", () => {
    const many = (S: number, R: number, K: number) => {
      const s = source(S, R, R);
      const classes = Array.from({ length: K }, (_, index) => ({ index, name: `c${index}` }));
      const t0 = performance.now();
      try {
        return dicomSegByteBound(s, classes);
      } finally {
        assert.ok(performance.now() - t0 < 5000, `${S} slices took ${performance.now() - t0} ms`);
      }
    };
    assert.throws(() => many(2, 65535, 256), { code: "ERR_SEG_TOO_LARGE" }); // Pixel Data past 4 GiB
    assert.throws(() => many(100_000, 16, 256), /Per-frame Functional Groups Sequence past 4 GiB/);
    const bound = many(100_000, 16, 4);
    assert.ok(bound > (300_000 * (16 * 16)) / 8 && bound < 2 ** 32, `${bound}`);
  });

  it("a bound cannot be encoded", () => {
    assert.throws(() => planDicomSeg(null, source(S, R, C), CLASSES).encode(), { code: "ERR_ARGUMENT" });
  });
});

function bytesOf(ds: dicomParser.DataSet, t: string): Uint8Array {
  const e = ds.elements[t];
  return ds.byteArray.subarray(e.dataOffset, e.dataOffset + e.length);
}
