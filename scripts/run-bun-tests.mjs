#!/usr/bin/env node
// Runs the same node:test files under Bun (installed from the npm registry as the `bun` package).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { findTests } from "./find-tests.mjs";

const require = createRequire(import.meta.url);
const bun = join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe");
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["."];
const files = dirs.flatMap((d) => findTests(d)).map((f) => `./${f}`);
const r = spawnSync(bun, ["test", "--conditions=@bcpseg/source", "--timeout=120000", ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
