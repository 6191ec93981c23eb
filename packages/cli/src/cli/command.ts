import type { parseArgs } from "node:util";

/** One flag of a command: what `parseArgs` needs, plus its help. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly description: string;
  /** Shown in help as `--name <placeholder>` (string options). */
  readonly placeholder?: string;
  readonly multiple?: boolean;
  /** Shown in help only; commands apply their own defaults. */
  readonly defaultText?: string;
}

/** Where a command writes: stdout for results, stderr for progress and notes. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** What a command may touch of the process (tests pass their own). */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT/SIGTERM (long commands stop cleanly). */
  readonly signal?: AbortSignal;
}

/** A command's flags by name. */
export type OptionsSpec = Readonly<Record<string, OptionSpec>>;

/** Parsed flags of any command (what the value helpers of parse-flags.ts take). */
export type AnyFlagValues = Readonly<Record<string, unknown>>;

/**
 * The parsed flags of a command with options `O` (and the global ones), as `parseArgs` itself infers them:
 * `type: "string"` is a string, `multiple: true` an array, every flag optional.
 */
export type FlagValues<O extends OptionsSpec = OptionsSpec> = Readonly<
  ReturnType<typeof parseArgs<{ options: O & typeof GLOBAL_OPTIONS; strict: true; allowPositionals: true }>>["values"]
>;

/** What a command's `run` receives. */
export interface CommandContext<O extends OptionsSpec = OptionsSpec> {
  readonly values: FlagValues<O>;
  readonly positionals: readonly string[];
  readonly io: CliIo;
  /** --json: print one JSON document on stdout instead of text. */
  readonly json: boolean;
}

/** A command (or a group of subcommands, like `data`), typed by its options. */
export interface CommandSpec<O extends OptionsSpec = OptionsSpec> {
  readonly name: string;
  readonly summary: string;
  /** Usage line after `bcpseg <name>`, e.g. "[options] <files...>". */
  readonly usage?: string;
  readonly description?: string;
  readonly options?: O;
  readonly examples?: readonly string[];
  // biome-ignore lint/suspicious/noExplicitAny: a group holds commands with different options.
  readonly subcommands?: readonly CommandSpec<any>[];
  /**
   * With --json, what stdout gets besides the result: set by commands that run until stopped, whose --json
   * output is NDJSON (one document per line: this, then the result or the error). Shown in help.
   */
  readonly jsonLines?: string;
  /** Returns the JSON result (printed with --json) or nothing; throws for failures. */
  run?(ctx: CommandContext<O>): Promise<unknown>;
}

/** A command whose `run` gets its flags typed from `options` (literal types kept). */
export function defineCommand<const O extends OptionsSpec>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Flags every command accepts. */
export const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h", description: "Show help for the command" },
  json: { type: "boolean", description: "Print one JSON document on stdout (for scripts)" },
} as const satisfies OptionsSpec;
