#!/usr/bin/env node
// Dependency-direction and cycle check for the workspace packages.
// Allowed edges: trainer -> core, edge-api -> core, cli -> {core, trainer, edge-api}; core imports no
// workspace package, and trainer and edge-api never import each other. Checked both in package.json
// dependencies and in the import specifiers of every source file.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const allowed = {
  core: [],
  trainer: ["core"],
  "edge-api": ["core"],
  cli: ["core", "trainer", "edge-api"],
};
const problems = [];
for (const [pkg, ok] of Object.entries(allowed)) {
  const dir = join("packages", pkg);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const deps = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
  for (const name of Object.keys(deps)) {
    const m = /^@bcpseg\/(.+)$/.exec(name);
    if (m && !ok.includes(m[1])) problems.push(`${pkg}/package.json depends on ${name}`);
  }
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      if (name === "node_modules" || name === "dist") continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(name)) {
        const src = readFileSync(p, "utf8");
        for (const m of src.matchAll(/(?:from|import)\s*\(?\s*["'](@bcpseg\/[^"'/]+)(\/[^"']*)?["']/g)) {
          const target = m[1].slice("@bcpseg/".length);
          if (!ok.includes(target)) problems.push(`${p} imports ${m[1]}`);
          if (m[2]?.startsWith("/src")) problems.push(`${p} deep-imports ${m[1]}${m[2]}`);
        }
        if (/["'](\.\.\/){2,}(core|trainer|edge-api|cli)\/src/.test(src))
          problems.push(`${p} reaches into another package's src by path`);
        if (pkg === "core" && !name.endsWith(".test.ts") && p.includes(`${join(dir, "src")}`)) {
          const node = src.match(/from\s+["'](node:[^"']+|fs|path|os|child_process|worker_threads)["']/);
          if (node) problems.push(`${p} imports ${node[1]}: core must stay free of Node APIs`);
          // Comments may name these words; only code counts.
          const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
          if (/\bprocess\.|\bBuffer\.|\bDeno\.|\bBun\./.test(code))
            problems.push(`${p} uses a runtime global: core must stay portable`);
          if (/Math\.random\s*\(/.test(code)) problems.push(`${p} calls Math.random: use a seeded Rng`);
        }
      }
    }
  };
  walk(join(dir, "src"));
}
if (problems.length) {
  console.error(`check-deps: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("check-deps: dependency direction ok (core <- trainer, core <- edge-api, cli -> all; no cycles)");
