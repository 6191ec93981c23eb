import { type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from "./command.ts";

/** The help text of a command (or of the root when `path` is empty). */
export function renderHelp(spec: CommandSpec, path: readonly string[]): string {
  const name = ["bcpseg", ...path].join(" ");
  const lines: string[] = [];
  lines.push(`${name} — ${spec.summary}`, "");
  const usage = spec.subcommands ? "<command> [options]" : (spec.usage ?? "[options]");
  lines.push("Usage:", `  ${name} ${usage}`.trimEnd(), "");
  if (spec.description) lines.push(...spec.description.split("\n"), "");
  if (spec.subcommands) {
    lines.push("Commands:");
    const w = Math.max(...spec.subcommands.map((c) => c.name.length));
    for (const c of spec.subcommands) lines.push(`  ${c.name.padEnd(w)}  ${c.summary}`);
    lines.push("");
  }
  const options = Object.entries<OptionSpec>({ ...spec.options, ...GLOBAL_OPTIONS });
  if (options.length > 0) {
    lines.push("Options:");
    const labels = options.map(([n, o]) => flagLabel(n, o));
    const w = Math.min(34, Math.max(...labels.map((l) => l.length)));
    options.forEach(([name, o], i) => {
      const def = o.defaultText === undefined ? "" : ` (default ${o.defaultText})`;
      const label = labels[i];
      const text = name === "json" && spec.jsonLines ? `Print NDJSON on stdout: ${spec.jsonLines}` : o.description;
      lines.push(
        label.length > w ? `  ${label}\n  ${" ".repeat(w)}  ${text}${def}` : `  ${label.padEnd(w)}  ${text}${def}`,
      );
    });
    lines.push("");
  }
  if (spec.examples && spec.examples.length > 0) {
    lines.push("Examples:", ...spec.examples.map((e) => `  ${e}`), "");
  }
  if (spec.subcommands) lines.push(`Run \`${name} <command> --help\` for a command's options.`, "");
  return `${lines.join("\n").trimEnd()}\n`;
}

function flagLabel(name: string, o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : "    ";
  const value = o.type === "string" ? ` <${o.placeholder ?? "value"}>` : "";
  return `${short}--${name}${value}`;
}
