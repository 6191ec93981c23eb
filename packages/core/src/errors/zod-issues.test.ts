import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { issuesLine, isZodError, zodIssues } from "./zod-issues.ts";

const schema = z.strictObject({ classes: z.array(z.object({ index: z.number() })), name: z.string() });
const fail = (v: unknown) => {
  const r = schema.safeParse(v);
  assert.equal(r.success, false);
  return (r as { error: z.ZodError }).error;
};

describe("zodIssues", () => {
  it("writes paths in zod's own notation", () => {
    const issues = zodIssues(fail({ classes: [{ index: 0 }, { index: "1" }], name: 1 }));
    assert.deepEqual(
      issues.map((i) => i.path),
      ["classes[1].index", "name"],
    );
  });

  it("names the root as an empty path, and '(root)' on one line", () => {
    const issues = zodIssues(fail(3));
    assert.equal(issues[0].path, "");
    assert.match(issuesLine(issues), /^\(root\): /);
  });

  it("is bounded whatever the input", () => {
    const keys = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}${"x".repeat(300)}`, 1]));
    const issues = zodIssues(fail({ classes: [], name: "n", ...keys }), { maxKeys: 3 });
    assert.equal(issues.length, 1);
    assert.match(issues[0].message, /^unknown keys: (".{121}", ){2}".{121}" and 497 more$/);
    const many = z.array(z.number()).safeParse(Array.from({ length: 50 }, () => "s"));
    const bounded = zodIssues((many as { error: z.ZodError }).error);
    assert.equal(bounded.length, 21);
    assert.equal(bounded[20].message, "and 30 more issues");
  });

  it("puts issues on one line, at most max", () => {
    const line = issuesLine(
      [
        { path: "a", message: "x" },
        { path: "b[0]", message: "y" },
        { path: "c", message: "z" },
      ],
      2,
    );
    assert.equal(line, "a: x; b[0]: y; and 1 more");
  });

  it("recognizes zod errors by class", () => {
    assert.equal(isZodError(fail(1)), true);
    assert.equal(isZodError(Object.assign(new Error("m"), { name: "ZodError", issues: [] })), false);
  });
});
