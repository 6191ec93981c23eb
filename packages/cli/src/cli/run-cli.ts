import { readFileSync } from "node:fs";
import { usageError } from "../errors/cli-error.ts";
import { describeError } from "../errors/describe-error.ts";
import { EXIT } from "../errors/exit-codes.ts";
import type { CliIo, CommandSpec } from "./command.ts";
import { CommandResult } from "./command-result.ts";
import { parseFlags } from "./parse-flags.ts";
import { renderHelp } from "./render-help.ts";

/** The CLI's version (its package.json; same relative path from src/ and dist/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * Runs `bcpseg <argv>` against `commands` and returns the exit code (0 ok, 1 failure, 2 usage/config, 3 bad
 * input). Never exits the process: only the entry point does. Errors become one line on stderr (and a JSON
 * error document on stdout with --json); BCPSEG_DEBUG=1 adds the stack.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CommandSpec[]): Promise<number> {
  const root: CommandSpec = {
    name: "bcpseg",
    summary: "semi-supervised medical image segmentation with Bidirectional Copy-Paste (BCP)",
    subcommands: commands,
    options: { version: { type: "boolean", short: "v", description: "Print the version" } },
    examples: [
      "bcpseg demo --quick",
      "bcpseg train --preset synth2d --out runs/synth",
      "bcpseg serve runs/synth/model-int8.onnx",
    ],
  };
  const json = argv.includes("--json");
  try {
    if (argv.length === 0) {
      io.stderr.write(renderHelp(root, []));
      return EXIT.usage;
    }
    if (argv[0] === "--version" || argv[0] === "-v") {
      io.stdout.write(`${cliVersion()}\n`);
      return EXIT.ok;
    }
    const path: string[] = [];
    let spec = root;
    let rest = [...argv];
    while (spec.subcommands && rest.length > 0 && !rest[0].startsWith("-")) {
      const name = rest[0];
      const next = spec.subcommands.find((c) => c.name === name);
      if (!next) {
        const where = path.length === 0 ? "" : ` ${path.join(" ")}`;
        throw usageError(`unknown command "${[...path, name].join(" ")}"; run \`bcpseg${where} --help\``);
      }
      spec = next;
      path.push(name);
      rest = rest.slice(1);
    }
    const { values, positionals } = parseFlags(spec, rest);
    if (values.help === true) {
      io.stdout.write(renderHelp(spec, path));
      return EXIT.ok;
    }
    if (!spec.run) {
      io.stderr.write(renderHelp(spec, path));
      return EXIT.usage;
    }
    const out = await spec.run({ values, positionals, io, json });
    const result = out instanceof CommandResult ? out.value : out;
    if (json) io.stdout.write(`${JSON.stringify(result ?? { ok: true }, jsonReplacer)}\n`);
    return out instanceof CommandResult ? out.exit : EXIT.ok;
  } catch (e) {
    const d = describeError(e);
    io.stderr.write(`bcpseg: ${d.message} [${d.code}]\n`);
    if (io.env.BCPSEG_DEBUG === "1" && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: d.code, message: d.message, exit: d.exit } })}\n`);
    return d.exit;
  }
}

/** JSON.stringify replacer: NaN/Infinity as null, typed arrays left out (they belong in files). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  if (ArrayBuffer.isView(value)) return undefined;
  return value;
}
