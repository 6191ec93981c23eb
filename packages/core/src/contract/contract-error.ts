import { BcpError } from "../errors/bcp-error.ts";
import type { Issue } from "../errors/zod-issues.ts";

/** One problem found in a model contract: a path in zod's notation ("classes[1].index", "" for the root). */
export type ContractIssue = Issue;

/** A model contract that does not validate (kind integrity); `details` is the {@link ContractIssue} list. */
export class ContractError extends BcpError<"ERR_CONTRACT"> {
  declare readonly details: readonly ContractIssue[];

  constructor(fn: string, issues: readonly ContractIssue[]) {
    const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    super("ERR_CONTRACT", `${fn}: invalid model contract: ${text}`, { fn, arg: "contract", details: issues });
    this.name = "ContractError";
  }
}
