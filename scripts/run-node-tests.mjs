#!/usr/bin/env node
// Runs node:test files under the given folder with tsx, reading sibling packages from src/.
// Usage: run-node-tests.mjs <dir> [--quick]   (--quick sets BCPSEG_QUICK=1 so slow tests skip)
import { spawnSync } from "node:child_process";
import { findTests } from "./find-tests.mjs";

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith("--")) ?? ".";
const env = { ...process.env };
if (args.includes("--quick")) env.BCPSEG_QUICK = "1";
const files = findTests(dir);
if (files.length === 0) {
  console.error(`run-node-tests: no *.test.ts files under ${dir}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ["--conditions=@bcpseg/source", "--import", "tsx", "--test", "--test-concurrency=1", ...files],
  { stdio: "inherit", env },
);
process.exit(r.status ?? 1);
