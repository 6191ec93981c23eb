import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { concat, el, image, part10 } from "../../test/dicom-craft.ts";
import { sha256 } from "../../test/pydicom-reference.ts";
import { defaultContract2d } from "../contract/default-contract.ts";
import { segmentImage } from "../inference/segment-image.ts";
import { assembleDicomSeries } from "./assemble-dicom-series.ts";
import type { DicomInstance } from "./dicom-instance.ts";
import { groupDicomSeries } from "./group-dicom-series.ts";
import { planDicomSeries } from "./plan-dicom-series.ts";
import { readDicom } from "./read-dicom.ts";

const FIXTURES = new URL("../../test/fixtures/dicom/", import.meta.url).pathname;
interface Expected {
  shape: number[];
  spacing: number[];
  origin: number[];
  direction: number[];
  sha256: string;
  min: number;
  max: number;
  probe: { x: number; y: number; z: number; value: number };
  slices: Array<{ sop: string; frame: number | null }>;
}
const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")).series as Record<string, Expected>;
const folder = (name: string) =>
  readdirSync(join(FIXTURES, name))
    .sort()
    .map((f) => readDicom(new Uint8Array(readFileSync(join(FIXTURES, name, f)))));
const close = (a: readonly number[], b: readonly number[], tol: number, what: string) =>
  assert.ok(a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) <= tol), `${what}: [${a}] vs [${b}]`);
const series = (reason: string) => (e: unknown) =>
  (e as { code?: string }).code === "ERR_DICOM_SERIES" &&
  (e as { details: { reason: string } }).details.reason === reason;

describe("assembleDicomSeries: what pydicom reads from the ACDC-derived series", () => {
  for (const name of Object.keys(expected)) {
    it(`${name}: volume, spacing, geometry and slice order equal pydicom's`, async () => {
      const want = expected[name];
      const s = assembleDicomSeries(folder(name));
      assert.deepEqual([...s.shape], want.shape);
      close(s.spacing, want.spacing, 1e-9, "spacing");
      close(s.origin, want.origin, 1e-9, "origin");
      close(s.direction, want.direction, 1e-9, "direction");
      assert.equal(await sha256(s.data), want.sha256, "voxels (float32 [X, Y, Z]) differ from pydicom's");
      const { x, y, z, value } = want.probe;
      assert.equal(s.data[(x * s.shape[1] + y) * s.shape[2] + z], value);
      assert.deepEqual(
        s.slices.map((r) => ({ sop: r.sopInstanceUid, frame: r.frameNumber ?? null })),
        want.slices,
      );
      assert.equal(s.rows, 64);
      assert.equal(s.columns, 48);
      assert.equal(s.patientId, "ACDC-002");
      assert.ok(s.studyInstanceUid && s.seriesInstanceUid && s.frameOfReferenceUid);
      assert.equal(s.geometry, "patient");
      // Slice k's reference position is where voxel (0, 0, k) lies.
      s.slices.forEach((r, k) => {
        const w = [0, 1, 2].map((a) => s.origin[a] + s.direction[a * 3 + 2] * k * s.spacing[2]);
        close(r.imagePositionPatient, w, 1e-3, `slice ${k} position`);
      });
    });
  }
  it("the volume is the NIfTI reader's layout: slice z read as [Y, X] is the DICOM image", () => {
    const insts = folder("mr-explicit-le");
    const s = assembleDicomSeries(insts);
    const [X, Y, Z] = s.shape;
    for (let z = 0; z < Z; z++) {
      const src = insts.find((i) => i.sopInstanceUid === s.slices[z].sopInstanceUid) as DicomInstance;
      const view = new DataView(src.bytes.buffer, src.bytes.byteOffset + (src.pixelData?.offset ?? 0));
      for (const [y, x] of [
        [0, 0],
        [20, 10],
        [63, 47],
        [31, 40],
      ]) {
        assert.equal(s.data[(x * Y + y) * Z + z], view.getUint16(2 * (y * X + x), true));
      }
    }
  });
  it("segmentImage runs on it unchanged (2D contract, slices last): labels follow the DICOM image", async () => {
    const s = assembleDicomSeries(folder("ct-implicit-le"));
    const contract = defaultContract2d({ size: [64, 48] });
    const C = contract.classes.length;
    // A "network" that reads the class off the normalised intensity: one-hot round(x · (C − 1)).
    const run = async (input: Float32Array, shape: readonly number[]) => {
      const n = shape[2] * shape[3];
      const out = new Float32Array(shape[0] * C * n);
      for (let k = 0; k < shape[0]; k++) {
        for (let i = 0; i < n; i++) out[(k * C + Math.round(input[k * n + i] * (C - 1))) * n + i] = 1;
      }
      return out;
    };
    const seg = await segmentImage(contract, { data: s.data, shape: [...s.shape] }, run, { slicesLast: true });
    assert.deepEqual(seg.shape, [...s.shape]);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of s.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    let checked = 0;
    for (let i = 0; i < s.data.length; i++) {
      const t = ((s.data[i] - lo) / (hi - lo)) * (C - 1);
      if (Math.abs(t - Math.floor(t) - 0.5) < 1e-3) continue; // at a rounding edge, float32 may go either way
      assert.equal(seg.labels[i], Math.round(t), `voxel ${i}`);
      checked++;
    }
    assert.ok(checked > 0.99 * s.data.length);
  });
});

describe("planDicomSeries: files that do not make one volume", () => {
  const mr = () => folder("mr-explicit-le");
  it("mixed series", () => {
    assert.throws(() => planDicomSeries([...mr(), ...folder("ct-implicit-le")]), series("mixed-series"));
    const groups = groupDicomSeries([...mr(), ...folder("ct-implicit-le")]);
    assert.equal(groups.size, 2);
    for (const g of groups.values()) assert.equal(planDicomSeries(g).slices.length, 4);
  });
  it("a missing slice", () => {
    const s = planDicomSeries(mr()).slices;
    const keep = mr().filter((i) => i.sopInstanceUid !== s[1].instance.sopInstanceUid);
    assert.throws(
      () => planDicomSeries(keep),
      (e: unknown) => series("missing-slices")(e) && (e as { details: { missing: number } }).details.missing === 1,
    );
  });
  it("the same file twice, and two files at one position", () => {
    const a = mr();
    assert.throws(() => planDicomSeries([...a, a[0]]), series("duplicate-instance"));
    assert.throws(() => planDicomSeries([...a, { ...a[0], sopInstanceUid: "1.2.3.9" }]), series("duplicate-slices"));
  });
  it("mixed Rows/Columns, orientation, spacing and frame of reference", () => {
    const a = mr();
    assert.throws(() => planDicomSeries([...a.slice(1), { ...a[0], rows: 32 }]), series("mixed-dimensions"));
    const tilt = (i: DicomInstance): DicomInstance => ({
      ...i,
      frameGeometry: i.frameGeometry.map((g) => ({ ...g, imageOrientationPatient: [1, 0, 0, 0, 1, 0] })),
    });
    assert.throws(() => planDicomSeries([...a.slice(1), tilt(a[0])]), series("mixed-orientation"));
    const wide = (i: DicomInstance): DicomInstance => ({
      ...i,
      frameGeometry: i.frameGeometry.map((g) => ({ ...g, pixelSpacing: [2, 2] })),
    });
    assert.throws(() => planDicomSeries([...a.slice(1), wide(a[0])]), series("mixed-spacing"));
    assert.throws(
      () => planDicomSeries([...a.slice(1), { ...a[0], frameOfReferenceUid: "1.2" }]),
      series("mixed-frame-of-reference"),
    );
  });
  it("a slice moved in plane, and uneven gaps", () => {
    const a = mr();
    const move = (i: DicomInstance, d: readonly number[]): DicomInstance => ({
      ...i,
      frameGeometry: i.frameGeometry.map((g) => {
        const p = g.imagePositionPatient as readonly number[];
        return { ...g, imagePositionPatient: [p[0] + d[0], p[1] + d[1], p[2] + d[2]] as [number, number, number] };
      }),
    });
    const rowDir = a[0].imageOrientationPatient?.slice(0, 3) as number[];
    assert.throws(
      () =>
        planDicomSeries([
          ...a.slice(1),
          move(
            a[0],
            rowDir.map((v) => 3 * v),
          ),
        ]),
      series("inconsistent-geometry"),
    );
    const n = planDicomSeries(a).direction;
    const normal = [n[2], n[5], n[8]];
    const top = planDicomSeries(a).slices[3].instance;
    const rest = a.filter((i) => i !== top);
    assert.throws(
      () =>
        planDicomSeries([
          ...rest,
          move(
            top,
            normal.map((v) => 4 * v),
          ),
        ]),
      series("non-uniform-spacing"),
    );
  });
  it("slices without positions cannot be ordered; a lone image gets the default geometry", () => {
    const strip = (i: DicomInstance): DicomInstance => ({
      ...i,
      frameGeometry: i.frameGeometry.map((g) => ({ ...g, imagePositionPatient: undefined })),
    });
    const a = mr().map(strip);
    assert.throws(() => planDicomSeries(a), series("no-geometry"));
    const one = planDicomSeries([a[0]]);
    assert.equal(one.geometry, "default");
    assert.deepEqual([...one.direction], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
  it("multi-frame files without per-frame positions: stacked by SpacingBetweenSlices, else no geometry", () => {
    const cine = readDicom(part10(image({ frames: 3 })));
    assert.throws(() => planDicomSeries([cine]), series("no-geometry"));
    const tomo = readDicom(part10(concat([el(0x00180088, "DS", "2.5"), image({ frames: 3 })])));
    const s = assembleDicomSeries([tomo]);
    assert.deepEqual([...s.shape], [3, 4, 3]);
    assert.deepEqual([...s.spacing], [1, 1, 2.5]);
    assert.deepEqual(
      s.slices.map((r) => r.frameNumber),
      [1, 2, 3],
    );
    assert.deepEqual(s.slices[2].imagePositionPatient, [0, 0, 5]);
    // Frame f holds the values 12 f .. 12 f + 11 (index mod 4096): voxel (x, y, z) = 12 z + 3 y + x.
    assert.equal(s.data[(2 * 4 + 3) * 3 + 2], 12 * 2 + 3 * 3 + 2);
  });
  it("the volume's voxels are checked against maxVoxels before allocation", () => {
    assert.throws(() => assembleDicomSeries(mr(), { maxVoxels: 64 * 48 * 4 - 1 }), { code: "ERR_DICOM_LIMIT" });
    assert.equal(assembleDicomSeries(mr(), { maxVoxels: 64 * 48 * 4 }).data.length, 64 * 48 * 4);
  });
});
