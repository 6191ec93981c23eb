import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isBcpError } from "../errors/bcp-error.ts";
import { CORE_VERSION } from "../version.ts";
import { ContractError } from "./contract-error.ts";
import { defaultContract2d, defaultContract3d } from "./default-contract.ts";
import { parseContract, safeParseContract } from "./parse-contract.ts";

/** Parses and returns the ContractError's issue paths (fails if the document is valid). */
function issuePaths(doc: unknown): string[] {
  const r = safeParseContract(doc);
  assert.equal(r.success, false, "expected an invalid contract");
  if (r.success) return [];
  assert.equal(r.error.code, "ERR_CONTRACT");
  return r.error.details.map((i) => i.path);
}

describe("parseContract", () => {
  it("accepts the default 2D and 3D contracts and fills defaults", () => {
    const c2 = defaultContract2d();
    assert.deepEqual(c2.input, { layout: "NCHW", size: [256, 256], channels: 1, dtype: "float32" });
    assert.deepEqual(c2.producer, { name: "@bcpseg/core", version: CORE_VERSION });
    assert.deepEqual(c2.preprocessing, [
      { op: "normalize", method: "minmax", scope: "image" },
      { op: "resize", mode: "nearest", size: [256, 256], scipyEdgeQuirk: false, alignCorners: false },
    ]);
    assert.deepEqual(
      c2.classes.map((c) => c.index),
      [0, 1, 2, 3],
    );
    const c3 = defaultContract3d();
    assert.deepEqual(c3.inference, { mode: "sliding-window", patch: [112, 112, 80], stride: [18, 18, 4] });
    assert.deepEqual(c3.postprocessing, { largestComponent: true, connectivity: 26 });
    // JSON text (as stored in ONNX metadata) round-trips
    assert.deepEqual(parseContract(JSON.stringify(c3)), c3);
  });

  it("rejects a size not divisible by 16 with a path", () => {
    const doc = { ...defaultContract2d(), input: { ...defaultContract2d().input, size: [256, 250] } };
    assert.throws(
      () => parseContract(doc),
      (e: unknown) => {
        assert.ok(e instanceof ContractError && isBcpError(e));
        assert.equal(e.code, "ERR_CONTRACT");
        assert.match(e.message, /input\.size\[1\]: must be divisible by 16/);
        return true;
      },
    );
  });

  it("rejects duplicate and missing class indices", () => {
    const base = defaultContract2d();
    const classes = [
      { index: 0, name: "bg" },
      { index: 1, name: "a" },
      { index: 1, name: "b" },
    ];
    const paths = issuePaths({ ...base, classes });
    assert.ok(paths.includes("classes[2].index"), paths.join());
    assert.ok(paths.includes("classes"), paths.join());
    assert.deepEqual(
      issuePaths({
        ...base,
        classes: [
          { index: 0, name: "bg" },
          { index: 2, name: "x" },
        ],
      }),
      ["classes"],
    );
  });

  it("rejects an unknown preprocessing op and bad step parameters", () => {
    const base = defaultContract2d();
    assert.deepEqual(issuePaths({ ...base, preprocessing: [{ op: "sharpen" }, ...base.preprocessing] }), [
      "preprocessing[0].op",
    ]);
    assert.deepEqual(issuePaths({ ...base, preprocessing: [{ op: "clip", min: 2, max: 1 }, ...base.preprocessing] }), [
      "preprocessing[0].max",
    ]);
    assert.deepEqual(
      issuePaths({ ...base, preprocessing: [{ op: "normalize", method: "minmax", clipPercentiles: [1, 99] }] }),
      ["preprocessing[0].clipPercentiles"],
    );
    assert.deepEqual(issuePaths({ ...base, preprocessing: [{ op: "resize", mode: "nearest", size: [128, 128] }] }), [
      "preprocessing",
    ]);
    assert.deepEqual(
      issuePaths({ ...base, preprocessing: [{ op: "resize", mode: "nearest", size: [256, 256], extra: 1 }] }),
      ["preprocessing[0]"],
    );
  });

  it("checks task consistency: layout, inference mode, stride and connectivity", () => {
    const c3 = defaultContract3d();
    assert.deepEqual(issuePaths({ ...c3, input: { ...c3.input, layout: "NCHW" } }), ["input.layout"]);
    assert.deepEqual(issuePaths({ ...c3, inference: { mode: "sliding-window" } }), ["inference.stride"]);
    assert.deepEqual(issuePaths({ ...c3, inference: { ...c3.inference, stride: [18, 200, 4] } }), [
      "inference.stride[1]",
    ]);
    assert.deepEqual(issuePaths({ ...c3, postprocessing: { largestComponent: true, connectivity: 8 } }), [
      "postprocessing.connectivity",
    ]);
    assert.deepEqual(issuePaths({ ...defaultContract2d(), inference: { mode: "sliding-window", stride: [1, 1] } }), [
      "inference.mode",
    ]);
  });

  it("reports non-JSON text and non-objects as ERR_CONTRACT", () => {
    assert.deepEqual(issuePaths("{not json"), [""]);
    assert.deepEqual(issuePaths(null), [""]);
    assert.deepEqual(issuePaths({ ...defaultContract2d(), format: "onnx" }), ["format"]);
  });

  it("accepts every input size divisible by 16 and rejects the others", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 1024 }), (k, n) => {
        const size: [number, number] = [16 * k, 16];
        assert.deepEqual(defaultContract2d({ size }).input.size, size);
        const ok = safeParseContract({
          ...defaultContract2d(),
          input: { ...defaultContract2d().input, size: [n, 256] },
        });
        assert.equal(ok.success, n % 16 === 0 && n === 256);
      }),
    );
  });
});
