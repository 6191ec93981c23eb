// Every file an npm script names exists (issue 13: core's `bench` script named a file that did not, so
// `npm run bench` failed).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SCRIPT_FILE = /^[\w./@-]+\.(?:ts|mts|js|mjs|cjs|sh|py)$/;

function packageDirs(): string[] {
  const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  return [ROOT, ...root.workspaces.map((w: string) => join(ROOT, w))];
}

/** The file arguments of one script: tokens that look like a relative path to a source file. */
function scriptFiles(script: string): string[] {
  return script
    .split(/\s+|&&|\|\||;/)
    .filter((t) => SCRIPT_FILE.test(t) && !t.startsWith("-") && !t.includes("node_modules"));
}

describe("package.json scripts", () => {
  it("scriptFiles finds the file arguments of a command line", () => {
    assert.deepEqual(scriptFiles("node --conditions=@bcpseg/source --import tsx ../../bench/core/run.ts --quick"), [
      "../../bench/core/run.ts",
    ]);
    assert.deepEqual(scriptFiles("tsc -p tsconfig.json && node scripts/a.mjs"), ["scripts/a.mjs"]);
    assert.deepEqual(scriptFiles("turbo run bench --concurrency=1"), []);
  });

  for (const dir of packageDirs()) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    it(`${pkg.name}: every file its scripts name exists`, () => {
      for (const [name, script] of Object.entries<string>(pkg.scripts ?? {})) {
        for (const file of scriptFiles(script)) {
          assert.ok(existsSync(resolve(dir, file)), `${pkg.name} script "${name}" names ${file}, which does not exist`);
        }
      }
    });
  }
});
