// The `bcpseg` entry point: the only place in the project that exits the process.
import { nodeIo } from "./cli/node-io.ts";
import { runCli } from "./cli/run-cli.ts";
import { COMMANDS } from "./commands/index.ts";

const { io, dispose } = nodeIo();
const code = await runCli(process.argv.slice(2), io, COMMANDS);
dispose();
// Flush stdout before exiting (pipes to a slow reader).
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(code);
