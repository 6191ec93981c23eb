import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rgbToDicomLab } from "./rgb-to-dicom-lab.ts";

const unscale = ([l, a, b]: number[]) => [(l * 100) / 65535, (a * 255) / 65535 - 128, (b * 255) / 65535 - 128];

describe("rgbToDicomLab", () => {
  it("maps white and black to the PCS ends", () => {
    assert.deepEqual(rgbToDicomLab("#ffffff"), [65535, 32896, 32896]);
    assert.deepEqual(rgbToDicomLab("#000000"), [0, 32896, 32896]);
  });

  it("matches Lindbloom's sRGB -> Lab (D50, Bradford) reference within 0.05", () => {
    const table: Array<[string, number[]]> = [
      ["#ff0000", [54.2917, 80.8125, 69.8851]],
      ["#00ff00", [87.8181, -79.2873, 80.9902]],
      ["#0000ff", [29.5676, 68.2986, -112.0294]],
      ["#808080", [53.585, 0, 0]],
    ];
    for (const [hex, want] of table) {
      const got = unscale(rgbToDicomLab(hex));
      for (const [k, v] of got.entries()) assert.ok(Math.abs(v - want[k]) < 0.05, `${hex}[${k}]: ${v} vs ${want[k]}`);
    }
  });

  it("refuses what is not #rrggbb", () => {
    assert.throws(() => rgbToDicomLab("red"), { code: "ERR_ARGUMENT" });
  });
});
