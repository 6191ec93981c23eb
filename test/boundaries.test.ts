// The package boundaries are biome rules (biome.json overrides: noRestrictedImports, noRestrictedGlobals and the
// scripts/biome/no-math-random.grit plugin). This lints probe files laid out like the packages, in a temporary
// folder with the repository's biome configuration, and checks that each boundary is enforced and nothing more.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIOME = join(ROOT, "node_modules", "@biomejs", "biome", "bin", "biome");

/** Probe file -> its source and the diagnostics (category: message part) it must get; [] = it must pass. */
const PROBES: Record<string, { src: string; expect: string[] }> = {
  "packages/core/src/a.ts": {
    src: 'import { train } from "@bcpseg/trainer";\nexport const a = train;\n',
    expect: ["lint/style/noRestrictedImports: core imports no workspace package"],
  },
  "packages/core/src/b.ts": {
    src: 'import { readFileSync } from "node:fs";\nimport { join } from "path";\nexport const b = [readFileSync, join];\n',
    expect: [
      "lint/style/noRestrictedImports: core must stay free of Node APIs",
      "lint/style/noRestrictedImports: core must stay free of Node APIs",
    ],
  },
  "packages/core/src/c.ts": {
    src: "export const c = [Math.random(), process.env, Buffer.alloc(1)];\n",
    expect: [
      "plugin: never Math.random",
      "lint/style/noRestrictedGlobals: process",
      "lint/style/noRestrictedGlobals: Buffer",
    ],
  },
  "packages/core/src/c.test.ts": {
    src: 'import { tmpdir } from "node:os";\nexport const t = [tmpdir, Math.random(), process.env];\n',
    expect: [],
  },
  "packages/core/src/d.ts": {
    src: 'import pkg from "../package.json" with { type: "json" };\nimport { e } from "./e.ts";\nexport const d = [pkg, e];\n',
    expect: [],
  },
  "packages/trainer/src/a.ts": {
    src: 'import { createRng } from "@bcpseg/core";\nimport { parseContract } from "@bcpseg/core/contract";\nexport const a = [createRng, parseContract];\n',
    expect: [],
  },
  "packages/trainer/src/b.ts": {
    src: 'import { createApp } from "@bcpseg/edge-api";\nexport const b = createApp;\n',
    expect: ["lint/style/noRestrictedImports: trainer imports only @bcpseg/core"],
  },
  "packages/edge-api/src/a.ts": {
    src: 'import { train } from "@bcpseg/trainer";\nexport const a = train;\n',
    expect: ["lint/style/noRestrictedImports: edge-api imports only @bcpseg/core"],
  },
  "packages/cli/src/a.ts": {
    src: 'import { train } from "@bcpseg/trainer";\nimport { readFileSync } from "node:fs";\nexport const a = [train, readFileSync];\n',
    expect: [],
  },
  "packages/cli/src/b.ts": {
    src: 'import { x } from "@bcpseg/trainer/src/x.ts";\nimport { y } from "../../core/src/y.ts";\nexport const b = [x, y];\n',
    expect: [
      "lint/style/noRestrictedImports: never its src/",
      "lint/style/noRestrictedImports: not by a path into its src/",
    ],
  },
};

interface Diagnostic {
  severity: string;
  category: string;
  message: string;
  location: { path: string };
}

describe("package boundaries (biome)", () => {
  let dir: string;
  let diagnostics: Diagnostic[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bcpseg-boundaries-"));
    const config = JSON.parse(readFileSync(join(ROOT, "biome.json"), "utf8"));
    delete config.$schema;
    writeFileSync(join(dir, "biome.json"), JSON.stringify(config));
    for (const plugin of config.plugins ?? []) {
      mkdirSync(dirname(join(dir, plugin.path)), { recursive: true });
      copyFileSync(join(ROOT, plugin.path), join(dir, plugin.path));
    }
    for (const [path, { src }] of Object.entries(PROBES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), src);
    }
    const r = spawnSync(
      process.execPath,
      [BIOME, "lint", "--vcs-enabled=false", "--reporter=json", "--max-diagnostics=none", "packages"],
      { cwd: dir, encoding: "utf8" },
    );
    diagnostics = JSON.parse(r.stdout).diagnostics;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [path, { expect }] of Object.entries(PROBES)) {
    it(`${path}: ${expect.length === 0 ? "allowed" : expect.join("; ")}`, () => {
      // Only the boundary rules count here (the recommended rules' infos, like useNodejsImportProtocol, do not).
      const got = diagnostics.filter(
        (d) =>
          d.location.path === path && (d.category === "plugin" || d.category.startsWith("lint/style/noRestricted")),
      );
      if (expect.length === 0) assert.deepEqual(got, []);
      for (const want of expect) {
        const [category, part] = want.split(": ");
        assert.ok(
          got.some((d) => d.category === category && d.message.includes(part)),
          `${path}: no ${want} in ${JSON.stringify(got)}`,
        );
      }
    });
  }
});
