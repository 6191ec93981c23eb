import { BcpError } from "../errors/bcp-error.ts";

/** One problem found in a model contract: a dot path ("classes.1.index", "" for the root) and a message. */
export interface ContractIssue {
  readonly path: string;
  readonly message: string;
}

/** A model contract that does not validate; `details` is the {@link ContractIssue} list. */
export class ContractError extends BcpError {
  declare readonly details: readonly ContractIssue[];

  constructor(fn: string, issues: readonly ContractIssue[]) {
    const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    super("ERR_CONTRACT", `${fn}: invalid model contract: ${text}`, { fn, arg: "contract", details: issues });
    this.name = "ContractError";
  }
}
