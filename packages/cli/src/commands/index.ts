import type { CommandSpec } from "../cli/command.ts";
import { dataCommand } from "./data.ts";
import { demoCommand } from "./demo.ts";
import { evalCommand } from "./eval.ts";
import { exportCommand } from "./export.ts";
import { predictCommand } from "./predict.ts";
import { serveCommand } from "./serve.ts";
import { trainCommand } from "./train.ts";

/** Every `bcpseg` command, in help order. */
export const COMMANDS: readonly CommandSpec[] = [
  demoCommand,
  trainCommand,
  evalCommand,
  exportCommand,
  serveCommand,
  predictCommand,
  dataCommand,
];

export { dataCommand, demoCommand, evalCommand, exportCommand, predictCommand, serveCommand, trainCommand };
