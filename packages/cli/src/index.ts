export type { CliIo, CommandContext, CommandSpec, OptionSpec, TextSink } from "./cli/command.ts";
export { CommandResult } from "./cli/command-result.ts";
export { renderHelp } from "./cli/render-help.ts";
export { cliVersion, runCli } from "./cli/run-cli.ts";
export { COMMANDS } from "./commands/index.ts";
export { CliError, describeError, EXIT, type ExitCode } from "./errors/index.ts";
export { writeRunPlots } from "./plot/write-run-plots.ts";
