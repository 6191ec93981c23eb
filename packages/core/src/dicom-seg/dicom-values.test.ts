import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../rng/create-rng.ts";
import { formatDa, formatDs, formatTm } from "./dicom-values.ts";

describe("formatDs", () => {
  it("writes a hand table in at most 16 characters", () => {
    const table: Array<[number, string]> = [
      [0, "0"],
      [1.5625, "1.5625"],
      [-158.135803, "-158.135803"],
      [1e-7, "1e-7"],
      [-0.1 - 0.2, "-0.3"],
      [123456789 + 0.123456789, "123456789.123457"],
      [1 / 3, "0.33333333333333"],
      [-1 / 3e5, "-3.3333333333e-6"],
      [-1.2345678901234568e18, "-1.234567890e+18"],
    ];
    for (const [v, s] of table) assert.equal(formatDs(v), s, `${v}`);
  });

  it("keeps every value within 16 characters, 1e-10 mm for patient coordinates (property)", () => {
    const rng = createRng(3);
    for (let k = 0; k < 2000; k++) {
      const e = rng.randint(-12, 20);
      const v = (rng.random() - 0.5) * 10 ** e;
      const s = formatDs(v);
      assert.ok(s.length <= 16, s);
      assert.match(s, /^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$/);
      // Millimetre coordinates (|v| < 1e4) within 1e-10 mm; any value to 9 digits (a 3-digit negative exponent).
      const err = Math.abs(Number(s) - v);
      assert.ok(Math.abs(v) < 1e4 ? err <= 1e-10 : err <= 1e-9 * Math.abs(v), `${v} -> ${s}`);
    }
  });

  it("refuses a non-finite value", () => {
    assert.throws(() => formatDs(Number.NaN), { code: "ERR_ARGUMENT" });
  });
});

describe("formatDa / formatTm", () => {
  it("write the UTC date and time", () => {
    const d = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67));
    assert.equal(formatDa(d), "20260102");
    assert.equal(formatTm(d), "030405.067000");
  });
});
