import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkJsonBounds } from "./json-bounds.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const refusal = (s: string) => {
  try {
    checkJsonBounds(bytes(s), { maxDepth: 3, maxValues: 10 });
    return undefined;
  } catch (e) {
    assert.equal((e as { code?: string }).code, "ERR_JSON");
    return (e as { details: { limit: string } }).details.limit;
  }
};

describe("checkJsonBounds", () => {
  it("passes a segment request and counts values, keys and containers (hand table)", () => {
    const doc = JSON.stringify({ data: "A".repeat(100_000), shape: [256, 256], spacing: [1.5, 1.5] });
    checkJsonBounds(bytes(doc));
    assert.equal(refusal('{"a":[1,2],"b":true}'), undefined); // {} a [] 1 2 b true = 7
    assert.equal(refusal("[1,2,3,4,5,6,7,8,9]"), undefined); // 10
    assert.equal(refusal("[1,2,3,4,5,6,7,8,9,10]"), "maxValues");
    assert.equal(refusal("[[[1]]]"), undefined);
    assert.equal(refusal("[[[[1]]]]"), "maxDepth");
    // Brackets, commas and escaped quotes inside strings are text, not structure.
    assert.equal(refusal('["[[[[,,,,,", "a\\"[[[[[", "\\\\"]'), undefined);
    assert.equal(refusal('["\\\\", [[[1]]]]'), "maxDepth");
  });

  it("counts as JSON.parse would build: any JSON within the bounds passes, any beyond them is refused (property)", () => {
    const count = (v: unknown): { values: number; depth: number } => {
      if (Array.isArray(v)) {
        const kids = v.map(count);
        return {
          values: 1 + kids.reduce((a, k) => a + k.values, 0),
          depth: 1 + Math.max(0, ...kids.map((k) => k.depth)),
        };
      }
      if (v !== null && typeof v === "object") {
        const kids = Object.values(v).map(count);
        return {
          values: 1 + Object.keys(v).length + kids.reduce((a, k) => a + k.values, 0),
          depth: 1 + Math.max(0, ...kids.map((k) => k.depth)),
        };
      }
      return { values: 1, depth: 0 };
    };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        const { values, depth } = count(JSON.parse(text));
        const got = refusal(text);
        const want = depth > 3 ? "maxDepth" : values > 10 ? "maxValues" : undefined;
        // The scan stops at the first bound it passes, so either named bound is right when both are exceeded.
        if (want === undefined) assert.equal(got, undefined, text);
        else assert.ok(got === "maxDepth" || got === "maxValues", `${text}: ${got}`);
        if (depth <= 3 && values > 10) assert.equal(got, "maxValues", text);
        if (depth > 3 && values <= 10) assert.equal(got, "maxDepth", text);
      }),
      { numRuns: 2000 },
    );
  });

  it("costs one pass however the body is built (20 MB of keys, of nesting, of one string)", () => {
    const n = 20 * 1024 * 1024;
    for (const body of ["[".repeat(n), `{${'"k":1,'.repeat(n / 6)}`, `{"data":"${"A".repeat(n)}"}`]) {
      const t = performance.now();
      try {
        checkJsonBounds(bytes(body));
      } catch {
        // refused: the point is that it returned at once
      }
      assert.ok(performance.now() - t < 5_000);
    }
  });
});
