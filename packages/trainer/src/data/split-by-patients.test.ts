import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import fixtures from "../../../core/test/fixtures/schedules_and_shapes.json" with { type: "json" };
import { patientOf } from "./patient-of.ts";
import { splitByPatients } from "./split-by-patients.ts";
import { splitFirst } from "./split-first.ts";

const table = fixtures.acdc_patients_to_slices.values as Record<string, number>;

/** A 70-patient slice list whose cumulative counts hit the official table at its keys. */
function acdcLikePatients(): string[] {
  const keys = Object.keys(table)
    .map(Number)
    .sort((a, b) => a - b);
  const out: string[] = [];
  let prevN = 0;
  let prevSlices = 0;
  for (const n of keys) {
    const slices = table[String(n)] - prevSlices;
    for (let p = prevN; p < n; p++) {
      const share = Math.floor(slices / (n - prevN)) + (p - prevN < slices % (n - prevN) ? 1 : 0);
      for (let s = 0; s < share; s++) out.push(`patient${String(p + 1).padStart(3, "0")}`);
    }
    [prevN, prevSlices] = [n, table[String(n)]];
  }
  return out;
}

describe("patientOf", () => {
  it("takes the patientNNN prefix, else the id", () => {
    assert.equal(patientOf("patient099_frame01_slice_15"), "patient099");
    assert.equal(patientOf("patient028_frame02"), "patient028");
    assert.equal(patientOf("06SR5RBREL16DQ6M8LWS"), "06SR5RBREL16DQ6M8LWS");
  });
});

describe("splitByPatients", () => {
  it("labels whole patients in list order (hand table)", () => {
    const patients = ["p9", "p9", "p2", "p2", "p2", "p5", "p9"];
    const s = splitByPatients(patients, { labeledPatients: 2 });
    assert.deepEqual(s.labeledPatients, ["p9", "p2"]);
    assert.deepEqual(s.labeled, [0, 1, 2, 3, 4, 6]);
    assert.deepEqual(s.unlabeled, [5]);
  });

  it("reproduces patients_to_slices on a contiguous list (reference table)", () => {
    const patients = acdcLikePatients();
    assert.equal(patients.length, 1312);
    for (const [n, slices] of Object.entries(table)) {
      const s = splitByPatients(patients, { labeledPatients: Number(n) });
      assert.equal(s.labeled.length, slices, `${n} patients`);
      assert.deepEqual(
        s.labeled,
        Array.from({ length: slices }, (_, i) => i),
        "the first lines of the list",
      );
    }
  });

  it("maps percentages to patients as the paper does: 5 % of 70 → 3, 10 % → 7", () => {
    const patients = acdcLikePatients();
    assert.equal(splitByPatients(patients, { labeledFraction: 0.05 }).labeled.length, 68);
    assert.equal(splitByPatients(patients, { labeledFraction: 0.1 }).labeled.length, 136);
    const ids = Array.from({ length: 100 }, (_, i) => `c${i}`);
    assert.equal(splitByPatients(ids, { labeledFraction: 0.29 }).labeled.length, 29);
    assert.equal(splitByPatients(ids, { labeledFraction: 0.001 }).labeled.length, 1);
  });

  it("partitions the samples and never divides a patient (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 60 }), fc.nat(), (ps, k) => {
        const patients = ps.map((p) => `p${p}`);
        const n = k % (new Set(patients).size + 1);
        const s = splitByPatients(patients, { labeledPatients: n });
        assert.deepEqual(
          [...s.labeled, ...s.unlabeled].sort((a, b) => a - b),
          patients.map((_, i) => i),
        );
        const lab = new Set(s.labeled.map((i) => patients[i]));
        assert.equal(lab.size, n);
        assert.ok(s.unlabeled.every((i) => !lab.has(patients[i])));
      }),
    );
  });

  it("rejects counts and fractions out of range", () => {
    assert.throws(() => splitByPatients(["a", "b"], { labeledPatients: 3 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => splitByPatients(["a"], { labeledPatients: 0.5 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => splitByPatients(["a"], { labeledFraction: 0 }), { code: "ERR_ARGUMENT" });
    assert.throws(() => splitByPatients(["a"], { labeledFraction: 1.5 }), { code: "ERR_ARGUMENT" });
  });
});

describe("splitFirst", () => {
  it("labels the first N volumes (LA: 4 = 5 %, 8 = 10 % of 80)", () => {
    const ids = Array.from({ length: 80 }, (_, i) => `scan${i}`);
    const s = splitFirst(ids, 8);
    assert.deepEqual(s.labeled, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(s.unlabeled.length, 72);
    assert.equal(s.unlabeled[0], 8);
    assert.deepEqual(s.labeledPatients, ids.slice(0, 8));
    assert.throws(() => splitFirst(ids, 81), { code: "ERR_ARGUMENT" });
  });
});
