/** One flag of a command. */
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

/** Parsed flags of one invocation. */
export type FlagValues = Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;

/** What a command's `run` receives. */
export interface CommandContext {
  readonly values: FlagValues;
  readonly positionals: readonly string[];
  readonly io: CliIo;
  /** --json: print one JSON document on stdout instead of text. */
  readonly json: boolean;
}

/** A command (or a group of subcommands, like `data`). */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Usage line after `bcpseg <name>`, e.g. "[options] <files...>". */
  readonly usage?: string;
  readonly description?: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly examples?: readonly string[];
  readonly subcommands?: readonly CommandSpec[];
  /** Returns the JSON result (printed with --json) or nothing; throws for failures. */
  run?(ctx: CommandContext): Promise<unknown>;
}

/** Flags every command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: "boolean", short: "h", description: "Show help for the command" },
  json: { type: "boolean", description: "Print one JSON document on stdout (for scripts)" },
};
