#!/usr/bin/env node
// Dependency direction in the package.json manifests: trainer -> core, edge-api -> core,
// cli -> {core, trainer, edge-api}; core depends on no workspace package, trainer and edge-api never on each other
// (so there is no cycle). The same boundaries in import specifiers, and core's freedom from Node APIs, runtime
// globals and Math.random, are biome rules (biome.json overrides; npm run lint), tested by test/boundaries.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const allowed = {
  core: [],
  trainer: ["core"],
  "edge-api": ["core"],
  cli: ["core", "trainer", "edge-api"],
};
const problems = [];
for (const [pkg, ok] of Object.entries(allowed)) {
  const manifest = JSON.parse(readFileSync(join("packages", pkg, "package.json"), "utf8"));
  const deps = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
  for (const name of Object.keys(deps)) {
    if (name.startsWith("@bcpseg/") && !ok.includes(name.slice("@bcpseg/".length))) {
      problems.push(`packages/${pkg}/package.json depends on ${name}`);
    }
  }
}
if (problems.length) {
  console.error(`check-deps: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("check-deps: dependency direction ok (core <- trainer, core <- edge-api, cli -> all; no cycles)");
