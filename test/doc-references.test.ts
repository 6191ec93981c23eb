// Comments cite documents that ship with the repository (issue 13: five files cited a method note that is not in
// it); what the official BCP code does is said in the comment itself.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const git = (args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout;

describe("document references in comments", () => {
  it("every *.md a comment names is in the repository", () => {
    const files = git(["ls-files", "--cached", "--others", "--exclude-standard"]).split("\n");
    const names = new Set(files.map((f) => f.replace(/^.*\//, "")));
    const comments = git(["grep", "-n", "-E", String.raw`(//|^\s*/?\*).*\.md\b`, "--", "*.ts", "*.mjs"]);
    const missing: string[] = [];
    for (const line of comments.split("\n").filter((l) => l !== "")) {
      const where = line.split(":", 2).join(":"); // path:line
      const comment = line.slice(where.length + 1).replace(/^.*?(\/\/|\*)/, "");
      for (const [name] of comment.matchAll(/[A-Za-z0-9_-]+\.md\b/g))
        if (!names.has(name)) missing.push(`${where}: ${name}`);
    }
    assert.deepEqual(missing, []);
  });
});
