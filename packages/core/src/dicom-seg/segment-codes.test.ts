import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { segmentCodes } from "./segment-codes.ts";

describe("segmentCodes", () => {
  it("codes the ACDC and LA classes with SNOMED CT, whatever the case and separators", () => {
    const table: Array<[string, string]> = [
      ["right ventricle", "53085002"],
      ["Myocardium", "49848007"],
      ["left_ventricle", "87878005"],
      ["left-atrium", "82471001"],
      ["LV", "87878005"],
    ];
    for (const [name, code] of table) {
      const c = segmentCodes(name, 1);
      assert.deepEqual([c.type.value, c.type.scheme, c.category.value], [code, "SCT", "123037004"], name);
    }
  });

  it("gives an unknown class a local code that carries its name", () => {
    const c = segmentCodes("tumour core", 3);
    assert.deepEqual(c.type, { value: "C3", scheme: "99BCPSEG", meaning: "tumour core" });
    assert.equal(c.category.meaning, "Tissue");
  });
});
