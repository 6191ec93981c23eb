#!/usr/bin/env node
// Runs the same node:test files under Deno (installed from the npm registry as the `deno` package).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { findTests } from "./find-tests.mjs";

const require = createRequire(import.meta.url);
const pkg = require.resolve("deno/package.json");
const bin = join(dirname(pkg), "deno");
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["."];
const files = dirs.flatMap((d) => findTests(d));
// The source condition lets a package's tests import its workspace siblings from src/, as under Node and Bun.
const args = ["test", "--quiet", "--no-check", "--allow-read", "--allow-env", "--conditions=@bcpseg/source"];
const r = spawnSync(bin, [...args, ...files], {
  stdio: "inherit",
  env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" },
});
process.exit(r.status ?? 1);
