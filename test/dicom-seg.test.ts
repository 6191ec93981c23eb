// Every DICOM SEG bcpseg writes, read back by independent implementations: pydicom (test/dicom-seg/seg_fixture.py
// compares segments, frames, per-frame references, positions and the unpacked masks with the labels exactly) and
// dciodvfy from Debian's dicom3tools (IOD conformance: no errors; the only warnings allowed are listed below).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  assembleDicomSeries,
  createRng,
  type DicomSegOptions,
  encodeDicomSeg,
  readDicom,
  type SegClass,
  type SegSource,
  segToDicom,
} from "@bcpseg/core";
import { sharedDataRoot } from "../bench/lib/shared-data.ts";

const PYTHON = "/usr/bin/python3";
const DCIODVFY = "/usr/bin/dciodvfy";
const FIXTURE = fileURLToPath(new URL("./dicom-seg/seg_fixture.py", import.meta.url));
const hasPydicom =
  existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import pydicom, numpy"], { encoding: "utf8" }).status === 0;
const NO_PYDICOM = hasPydicom ? false : `${PYTHON} with pydicom and numpy is not installed (Debian python3-pydicom)`;
// One real ACDC volume with its ground truth (read-only, never committed), written as an MR series by pydicom.
const ACDC_H5 = join(sharedDataRoot("ACDC"), "data", "patient002_frame01.h5");
const NO_ACDC = existsSync(ACDC_H5) ? false : `no ACDC data at ${ACDC_H5}`;
const NO_DCIODVFY = existsSync(DCIODVFY) ? false : `${DCIODVFY} is not installed (Debian dicom3tools)`;

// dciodvfy's warnings about attributes a DICOMDIR would index: the SEG copies these type 2 attributes from the
// source and leaves them empty when the source has none (the synthetic sources have no study date, time or ID).
// And the local coding scheme of class names without a standard code: dciodvfy knows only the standard schemes'
// designators, though PS3.3 8.2 lets a "99"-prefixed private scheme extend them (the SEG declares it in its Coding
// Scheme Identification Sequence). Nothing else is allowed.
const ALLOWED_WARNINGS = [
  /^Warning - Missing attribute or value that would be needed to build DICOMDIR - Study (Date|Time|ID)$/,
  /^Warning - Unrecognized defined term <99BCPSEG> for value 1 of attribute <Coding Scheme Designator>$/,
];

const dir = mkdtempSync(join(tmpdir(), "bcpseg-dicom-seg-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ACDC: SegClass[] = ["background", "right ventricle", "myocardium", "left ventricle"].map((name, index) => ({
  index,
  name,
}));
const LA: SegClass[] = ["background", "left atrium"].map((name, index) => ({ index, name }));
const CODES = {
  "right ventricle": ["53085002", "SCT"],
  myocardium: ["49848007", "SCT"],
  "left ventricle": ["87878005", "SCT"],
  "left atrium": ["82471001", "SCT"],
};

function synthetic(S: number, R: number, C: number, extra: Partial<SegSource> = {}): SegSource {
  return {
    studyInstanceUid: "1.2.826.0.1.3680043.8.498.1",
    seriesInstanceUid: "1.2.826.0.1.3680043.8.498.2",
    frameOfReferenceUid: "1.2.826.0.1.3680043.8.498.3",
    patientId: "SYN1",
    patientName: "Synthetic^Patient",
    modality: "MR",
    rows: R,
    columns: C,
    pixelSpacing: [1.5625, 1.5625],
    sliceThickness: 10,
    // An oblique plane: rows along (cos, sin, 0), columns along z.
    imageOrientationPatient: [Math.cos(0.3), Math.sin(0.3), 0, 0, 0, -1],
    slices: Array.from({ length: S }, (_, k) => ({
      sopClassUid: "1.2.840.10008.5.1.4.1.1.4",
      sopInstanceUid: `1.2.826.0.1.3680043.8.498.2.${k + 1}`,
      // Listed out of order along the normal (sin, -cos, 0): slice k at distance 10 * ((5k) mod S).
      imagePositionPatient: [-100 + 10 * ((5 * k) % S) * Math.sin(0.3), 20 - 10 * ((5 * k) % S) * Math.cos(0.3), 50.5],
    })),
    ...extra,
  };
}

/** Blobs of every class with a seeded generator; slice `emptySlice` all background. */
function blobs(S: number, R: number, C: number, K: number, seed: number, emptySlice = 1): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(S * R * C);
  for (let z = 0; z < S; z++) {
    if (z === emptySlice) continue;
    for (let c = 1; c < K; c++) {
      const cy = rng.randint(0, R);
      const cx = rng.randint(0, C);
      const r = 1 + rng.randint(0, Math.max(2, Math.min(R, C) >> 2));
      for (let y = 0; y < R; y++)
        for (let x = 0; x < C; x++) if ((y - cy) ** 2 + (x - cx) ** 2 <= r * r) out[(z * R + y) * C + x] = c;
    }
  }
  return out;
}

interface Case {
  readonly name: string;
  readonly labels: Uint8Array;
  readonly source: SegSource;
  readonly classes: SegClass[];
  readonly options?: DicomSegOptions;
  readonly files?: string[];
}

function write(c: Case): { seg: string; exp: string; bytes: Uint8Array } {
  const bytes = encodeDicomSeg(c.labels, c.source, c.classes, { rng: createRng(7), ...c.options });
  const seg = join(dir, `${c.name}.dcm`);
  const labels = join(dir, `${c.name}.u8`);
  const exp = join(dir, `${c.name}.json`);
  writeFileSync(seg, bytes);
  writeFileSync(labels, c.labels);
  writeFileSync(
    exp,
    JSON.stringify({
      labels,
      source: c.source,
      ...(c.files ? { files: c.files } : {}),
      classes: c.classes.map((k) => k.name),
      codes: CODES,
      omitEmptyFrames: c.options?.omitEmptyFrames ?? true,
    }),
  );
  return { seg, exp, bytes };
}

function pydicomCheck(seg: string, exp: string): { ok: boolean; error?: string; frames?: number; charset?: string } {
  const r = spawnSync(PYTHON, [FIXTURE, "check", seg, exp], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.stderr.includes("Traceback"), false, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}");
}

function dciodvfy(seg: string): { errors: string[]; warnings: string[] } {
  const r = spawnSync(DCIODVFY, [seg], { encoding: "utf8", timeout: 120_000 });
  const lines = `${r.stdout}\n${r.stderr}`.split("\n").map((l) => l.trim());
  return { errors: lines.filter((l) => l.startsWith("Error")), warnings: lines.filter((l) => l.startsWith("Warning")) };
}

type Written = Array<{ name: string; files: string[]; labels: string; classes: number; source: SegSource }>;

function acdcSeries(): Written {
  const out = join(dir, "acdc");
  mkdirSync(out, { recursive: true });
  const r = spawnSync(PYTHON, [FIXTURE, "acdc", ACDC_H5, out], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function realSeries(
  n: number,
): Array<{ name: string; files: string[]; labels: string; classes: number; source: SegSource }> {
  const out = join(dir, `series-${n}`);
  mkdirSync(out, { recursive: true });
  const r = spawnSync(PYTHON, [FIXTURE, "series", out, String(n)], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const S = 6;
const R = 24;
const C = 20;
const cases = (): Case[] => [
  { name: "acdc-synthetic", labels: blobs(S, R, C, 4, 1), source: synthetic(S, R, C), classes: ACDC },
  { name: "la-synthetic", labels: blobs(S, R, C, 2, 2), source: synthetic(S, R, C), classes: LA },
  {
    name: "all-frames",
    labels: blobs(S, R, C, 4, 3),
    source: synthetic(S, R, C),
    classes: ACDC,
    options: { omitEmptyFrames: false },
  },
  { name: "empty", labels: new Uint8Array(S * R * C), source: synthetic(S, R, C), classes: ACDC },
  // One slice: the thickness comes from the source (there is no spacing to take it from).
  { name: "one-slice", labels: blobs(1, 16, 16, 4, 6, -1), source: synthetic(1, 16, 16), classes: ACDC },
  {
    name: "utf8-unknown-class",
    labels: blobs(3, 9, 7, 3, 4),
    source: synthetic(3, 9, 7, { patientName: "Müller^Zoë", studyDate: "20261202", studyTime: "101500", studyId: "7" }),
    classes: [
      { index: 0, name: "background" },
      { index: 1, name: "Läsion" },
      { index: 2, name: "left ventricle", color: "#ff0000" },
    ],
  },
  {
    // One multi-frame source instance: each slice is a frame of it (ReferencedFrameNumber).
    name: "multi-frame-source",
    labels: blobs(4, 8, 8, 4, 5),
    source: (() => {
      const s = synthetic(4, 8, 8);
      return {
        ...s,
        slices: s.slices.map((sl, k) => ({
          ...sl,
          sopClassUid: "1.2.840.10008.5.1.4.1.1.4.1", // Enhanced MR Image Storage
          sopInstanceUid: "1.2.826.0.1.3680043.8.498.9",
          frameNumber: k + 1,
        })),
      };
    })(),
    classes: ACDC,
  },
];

describe("DICOM SEG read back by pydicom", { skip: NO_PYDICOM }, () => {
  for (const c of cases()) {
    it(`${c.name}: segments, frames, references and masks equal the labels`, () => {
      const { seg, exp } = write(c);
      const r = pydicomCheck(seg, exp);
      assert.equal(r.ok, true, r.error);
      if (c.name === "empty") assert.equal(r.frames, 1);
      if (c.name.startsWith("utf8")) assert.equal(r.charset, "ISO_IR 192");
    });
  }

  it("series written from pydicom's CT_small and MR_small: references checked against the source files", () => {
    for (const s of realSeries(5)) {
      const labels = new Uint8Array(readFileSync(s.labels));
      const classes = s.classes === 4 ? ACDC : LA;
      const { seg, exp } = write({ name: `real-${s.name}`, labels, source: s.source, classes, files: s.files });
      const r = pydicomCheck(seg, exp);
      assert.equal(r.ok, true, r.error);
      assert.ok((r.frames ?? 0) >= 4, `${s.name}: ${r.frames} frames`);
    }
  });

  it("an ACDC volume's ground truth on its series written by pydicom: SEG masks equal the labels", {
    skip: NO_ACDC,
  }, () => {
    const [s] = acdcSeries();
    const labels = new Uint8Array(readFileSync(s.labels));
    assert.equal(labels.length, s.source.slices.length * s.source.rows * s.source.columns);
    const { seg, exp } = write({ name: "acdc", labels, source: s.source, classes: ACDC, files: s.files });
    const r = pydicomCheck(seg, exp);
    assert.equal(r.ok, true, r.error);
    assert.ok((r.frames ?? 0) >= 10, `${r.frames} frames`);
    if (!NO_DCIODVFY) {
      const { errors, warnings } = dciodvfy(seg);
      assert.deepEqual(errors, []);
      assert.deepEqual(warnings, []);
    }
  });

  it("pydicom's character-set files: the SEG carries the source's patient name and descriptions as pydicom reads them", () => {
    // Latin-1, Cyrillic, Greek, Arabic, Hebrew, UTF-8, GB18030 and ISO 2022 Japanese/Korean sources; the SEG is UTF-8.
    const py = (code: string, ...args: string[]) => {
      const r = spawnSync(PYTHON, ["-c", code, ...args], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const names = `
import json, sys, pydicom
out = {}
for f in sys.argv[1:]:
    ds = pydicom.dcmread(f)
    out[f] = dict(name=str(ds.get("PatientName", "")).rstrip("="), study=str(ds.get("StudyDescription", "")), charset=str(ds.get("SpecificCharacterSet", "")))
print(json.dumps(out))
`;
    const dirOf = py(
      "import os, json, pydicom; print(json.dumps(os.path.join(os.path.dirname(pydicom.__file__), 'data', 'charset_files')))",
    );
    const files = [
      "chrFren.dcm",
      "chrRuss.dcm",
      "chrGreek.dcm",
      "chrArab.dcm",
      "chrHbrw.dcm",
      "chrX1.dcm",
      "chrX2.dcm",
      "chrH31.dcm",
      "chrI2.dcm",
    ]
      .map((f) => join(dirOf, f))
      .filter((f) => existsSync(f));
    assert.ok(files.length >= 6, `${files.length} character-set files`);
    const source = py(names, ...files);
    const segs = files.map((f, k) => {
      const read = assembleDicomSeries([readDicom(new Uint8Array(readFileSync(f)))]);
      // Some of these single-slice files lack what a SEG needs of its source (a Frame of Reference, a slice
      // thickness): given here, as the test is about the text.
      const series = {
        ...read,
        frameOfReferenceUid: read.frameOfReferenceUid || "1.2.826.0.1.3680043.8.498.9",
        sliceThickness: read.sliceThickness ?? 1,
      };
      const [X, Y, Z] = series.shape;
      const labels = new Uint8Array(X * Y * Z).fill(1, 0, X);
      const seg = join(dir, `charset-${k}.dcm`);
      writeFileSync(seg, segToDicom({ labels, shape: [X, Y, Z] }, series, LA, { layout: "xyz" }).bytes);
      return seg;
    });
    const back = py(names, ...segs);
    files.forEach((f, k) => {
      assert.equal(back[segs[k]].name, source[f].name, `${f} (${source[f].charset})`);
      if (source[f].study !== "") assert.equal(back[segs[k]].study, source[f].study, f);
      if (/[^ -~]/.test(source[f].name)) assert.equal(back[segs[k]].charset, "ISO_IR 192", f);
    });
  });

  it("the check fails on a mask that differs by one pixel (negative control)", () => {
    const c = cases()[0];
    const { seg, exp } = write(c);
    const wrong = new Uint8Array(c.labels);
    const at = wrong.indexOf(2);
    wrong[at] = 0;
    const spec = JSON.parse(readFileSync(exp, "utf8"));
    writeFileSync(spec.labels, wrong);
    const r = pydicomCheck(seg, exp);
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /pixels differ|has pixels but no frame/);
  });
});

describe("DICOM SEG verified by dciodvfy", { skip: NO_DCIODVFY || NO_PYDICOM }, () => {
  const all = (): Case[] => [
    ...cases(),
    ...realSeries(3).map((s) => ({
      name: `dciodvfy-real-${s.name}`,
      labels: new Uint8Array(readFileSync(s.labels)),
      source: s.source,
      classes: s.classes === 4 ? ACDC : LA,
    })),
  ];
  for (const c of all()) {
    it(`${c.name}: no errors, no unexplained warnings`, () => {
      const { seg } = write(c);
      const { errors, warnings } = dciodvfy(seg);
      assert.deepEqual(errors, []);
      const unexplained = warnings.filter((w) => !ALLOWED_WARNINGS.some((re) => re.test(w)));
      assert.deepEqual(unexplained, []);
    });
  }

  it("reports an error in a SEG with a broken enumerated value (negative control)", () => {
    const { bytes } = write(cases()[0]);
    const text = new TextDecoder("latin1").decode(bytes);
    const at = text.indexOf("BINARY");
    assert.ok(at > 0);
    const broken = new Uint8Array(bytes);
    broken.set([...new TextEncoder().encode("BINARX")], at);
    const path = join(dir, "broken.dcm");
    writeFileSync(path, broken);
    assert.ok(dciodvfy(path).errors.length > 0);
  });
});
