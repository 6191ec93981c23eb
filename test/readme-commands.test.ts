// Every `bcpseg` command shown in a shell block of README.md and packages/*/README.md runs here, in the order
// the README gives it, in a sandbox whose ../shared is the workspace's shared folder — so a documented command
// that fails (a data layout it cannot read, a flag that is gone) fails this test. Commands are extracted, not
// listed: a new one is tested as soon as it is written. Each subcommand has one rule that keeps it cheap, stated
// in RULES; a subcommand without a rule fails the test. Usage synopses in tables are not commands.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SLOW = process.env.BCPSEG_QUICK === "1" ? "slow test (BCPSEG_QUICK=1)" : false;
const REPO = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(REPO, "packages/cli/bin/bcpseg.js");
const SHARED = resolve(REPO, "../shared");
const DATA = join(SHARED, "data");
const READMES = [
  "README.md",
  "packages/core/README.md",
  "packages/trainer/README.md",
  "packages/edge-api/README.md",
  "packages/cli/README.md",
];

/** One documented command: its words (after `bcpseg`), where it is, and a stdout redirect. */
export interface DocCommand {
  readonly file: string;
  readonly line: number;
  readonly argv: string[];
  readonly stdoutTo?: string;
}

/** The `bcpseg` commands of the sh/bash blocks of a Markdown text, `\`-continued lines joined, comments cut. */
export function extractCommands(
  markdown: string,
  file: string,
): { commands: DocCommand[]; files: Record<string, string> } {
  const commands: DocCommand[] = [];
  const files: Record<string, string> = {};
  const lines = markdown.split("\n");
  let fence: string | undefined;
  let block: { start: number; text: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const m = /^```(\w*)/.exec(lines[i]);
    if (m && fence === undefined) {
      fence = m[1];
      block = { start: i + 2, text: [] };
      continue;
    }
    if (m && fence !== undefined) {
      if (fence === "yaml" && block) {
        // A config file the README names in its first line (`# acdc-3.yaml`) is written into the sandbox.
        const name = /^#\s*(\S+\.ya?ml)\s*$/.exec(block.text[0] ?? "")?.[1];
        if (name) files[name] = `${block.text.join("\n")}\n`;
      }
      if ((fence === "sh" || fence === "bash") && block) {
        let joined = "";
        let first = block.start;
        for (const [k, raw] of block.text.entries()) {
          if (joined === "") first = block.start + k;
          const cut = stripComment(raw);
          if (cut.endsWith("\\")) {
            joined += `${cut.slice(0, -1)} `;
            continue;
          }
          joined += cut;
          const words = shellWords(joined.trim());
          joined = "";
          if (words[0] === "npx") words.shift();
          if (words[0] !== "bcpseg") continue;
          const r = words.indexOf(">");
          const stdoutTo = r >= 0 ? words[r + 1] : undefined;
          commands.push({ file, line: first, argv: r >= 0 ? words.slice(1, r) : words.slice(1), stdoutTo });
        }
      }
      fence = undefined;
      block = undefined;
      continue;
    }
    block?.text.push(lines[i]);
  }
  return { commands, files };
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

function shellWords(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

// Tiny budgets appended to every training command that trains (flags given later win).
const TINY_TRAIN = [
  "--pretrain-iterations",
  "1",
  "--selftrain-iterations",
  "1",
  "--val-every",
  "0",
  "--set",
  "data.maxValCases=1",
];
// Backends that need hardware or an optional native package this workspace does not install: config checked only.
const HARDWARE = new Set(["ort-webgpu", "tensorflow-gpu", "tensorflow"]);

/** How each subcommand runs here (the documented words first, then what keeps it cheap). */
const RULES: Record<string, (argv: string[]) => { argv: string[]; serve?: boolean }> = {
  demo: (a) => ({ argv: [...a, "--quick"] }),
  data: (a) => ({ argv: a }),
  train: (a) => {
    const backend = a[a.indexOf("--backend") + 1];
    if (a.includes("--backend") && HARDWARE.has(backend))
      return { argv: [...a, "--dry-run"], note: `${backend}: --dry-run` };
    if (a.includes("--dry-run")) return { argv: a };
    // A resumed run with no training flags keeps its stored config; a budget cap still applies.
    if (a.includes("--resume") && !a.includes("--preset") && !a.includes("-c"))
      return { argv: [...a, "--max-iterations", "1"] };
    // A 3-D network at full size (112x112x80) takes minutes an iteration on 2 cores: a small one reads the same data.
    const small3d = ["la", "synth3d"].includes(a[a.indexOf("--preset") + 1])
      ? ["--size", "32,32,32", "--width", "0.125"]
      : [];
    return { argv: [...a, ...TINY_TRAIN, ...small3d] };
  },
  eval: (a) => ({ argv: [...a, "--max-cases", "1"] }),
  export: (a) => ({ argv: a.map((w, i) => (a[i - 1] === "--calibration" ? "2" : w)) }),
  predict: (a) => ({ argv: a }),
  serve: (a) => ({ argv: a.map((w, i) => (a[i - 1] === "--port" ? "0" : w)), serve: true }),
};

/** Words naming paths outside the sandbox: `/data/X` is a GPU box's copy of the data here. */
function localize(argv: string[]): string[] {
  return argv.map((w) => (w.startsWith("/data/") ? join("../shared/data", w.slice(6)) : w));
}

const DICOM_FIXTURES = join(REPO, "packages/core/test/fixtures/dicom");

/** Copies a committed DICOM fixture series into `to`, its files without extension (found by content). */
async function copySeries(name: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const files = (await readdir(join(DICOM_FIXTURES, name))).sort();
  for (const [k, f] of files.entries()) await copyFile(join(DICOM_FIXTURES, name, f), join(to, `IMG${k}`));
}

/**
 * Data a command names that a README only assumes the reader has, by the first segment of the path it is named
 * by: phantoms of the same layout made by `bcpseg`, or the repository's own fixtures (a DICOM study, a model).
 */
const ASSUMED: Record<string, string[] | ((cwd: string) => Promise<void>)> = {
  Task02_Heart: ["data", "synth", "--kind", "3d", "-o", "Task02_Heart", "--patients", "6", "--size", "32,32,16"],
  "heart-val": ["data", "synth", "--kind", "3d", "-o", "heart-val", "--patients", "2", "--size", "32,32,16"],
  study: async (cwd) => {
    await copySeries("ct-implicit-le", join(cwd, "study", "ct"));
    await copySeries("mr-explicit-le", join(cwd, "study", "mr"));
  },
  "model.onnx": (cwd) =>
    copyFile(join(REPO, "packages/edge-api/test/fixtures/unet2d-64-fp32.onnx"), join(cwd, "model.onnx")),
};

/** Runs `bcpseg argv` as its own process, as a reader would; `onOutput` sees stdout + stderr as they grow. */
function bcpseg(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  onOutput?: (text: string, stop: () => void) => void,
): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
    const stop = () => child.kill("SIGINT");
    child.stdout.on("data", (b: Buffer) => {
      out += b;
      onOutput?.(out + err, stop);
    });
    child.stderr.on("data", (b: Buffer) => {
      err += b;
      onOutput?.(out + err, stop);
    });
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, out, err });
    });
  });
}

const docs = await Promise.all(READMES.map(async (f) => extractCommands(await readFile(join(REPO, f), "utf8"), f)));

describe("README commands", () => {
  it("are found in the READMEs, and every subcommand has a rule", () => {
    const all = docs.flatMap((d) => d.commands);
    assert.ok(all.length >= 20, `found ${all.length} commands`);
    for (const c of all) assert.ok(RULES[c.argv[0]], `${c.file}:${c.line}: no rule for \`bcpseg ${c.argv[0]}\``);
  });

  it("extracts continued lines, comments, quotes and redirects (hand table)", () => {
    const md = [
      "```sh",
      'npx bcpseg a --x "y z" \\',
      "    --b 1   # note",
      "bcpseg c --json > o.json",
      "npm test",
      "```",
    ].join("\n");
    assert.deepEqual(extractCommands(md, "f").commands, [
      { file: "f", line: 2, argv: ["a", "--x", "y z", "--b", "1"], stdoutTo: undefined },
      { file: "f", line: 4, argv: ["c", "--json"], stdoutTo: "o.json" },
    ]);
  });

  const realData = existsSync(join(DATA, "ACDC")) && existsSync(join(DATA, "LA"));
  for (const doc of docs) {
    if (doc.commands.length === 0) continue;
    const needsData = doc.commands.some((c) => c.argv.some((w) => w.includes("shared/data") || w.startsWith("/data/")));
    const skip = SLOW || (needsData && !realData ? `no real data at ${DATA} (ACDC and LA)` : false);
    describe(doc.commands[0].file, { skip }, () => {
      let sandbox: string;
      let cwd: string;
      after(async () => sandbox && (await rm(sandbox, { recursive: true, force: true })));
      for (const c of doc.commands) {
        it(`bcpseg ${c.argv.join(" ")}  (line ${c.line})`, { timeout: 900_000 }, async () => {
          if (!sandbox) {
            sandbox = await mkdtemp(join(tmpdir(), "bcpseg-readme-"));
            cwd = join(sandbox, "work");
            await mkdir(cwd);
            await symlink(SHARED, join(sandbox, "shared"));
            for (const [name, text] of Object.entries(doc.files)) await writeFile(join(cwd, name), text);
          }
          const rule = RULES[c.argv[0]](localize(c.argv));
          for (const [name, make] of Object.entries(ASSUMED)) {
            if (!rule.argv.some((w) => w.split("/")[0] === name) || existsSync(join(cwd, name))) continue;
            if (typeof make === "function") await make(cwd);
            else {
              const r = await bcpseg(make, cwd, {});
              assert.equal(r.code, 0, r.err);
            }
          }
          const env: Record<string, string> = { TOKEN: "readme-test-token" };
          rule.argv = rule.argv.map((w) => w.replace(/\$(\w+)/g, (_, k: string) => env[k] ?? ""));
          let checked: Promise<number> | undefined;
          const r = await bcpseg(rule.argv, cwd, env, (text, stop) => {
            const url = rule.serve && checked === undefined ? /http:\/\/\S+/.exec(text)?.[0] : undefined;
            if (url === undefined) return;
            // A server is up when /readyz answers 200; then it is stopped as Ctrl-C would.
            checked = (async () => {
              let status = 0;
              for (let i = 0; i < 300 && status !== 200; i++) {
                status = await fetch(new URL("/readyz", url), {
                  headers: { authorization: `Bearer ${env.TOKEN}` },
                }).then(
                  (x) => x.status,
                  () => 0,
                );
                if (status !== 200) await new Promise((w) => setTimeout(w, 200));
              }
              stop();
              return status;
            })();
          });
          const where = `${c.file}:${c.line}`;
          if (rule.serve) {
            assert.ok(checked, `${where}: the server printed no URL: ${r.err}`);
            assert.equal(await checked, 200, `${where}: /readyz`);
            return;
          }
          const tail = r.err.trim().split("\n").slice(-3).join(" | ");
          assert.equal(r.code, 0, `${where} exit ${r.code ?? r.signal}: ${tail}`);
          if (c.stdoutTo) {
            await mkdir(dirname(join(cwd, c.stdoutTo)), { recursive: true });
            await writeFile(join(cwd, c.stdoutTo), r.out);
          }
        });
      }
    });
  }
});
