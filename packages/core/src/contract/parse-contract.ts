import { zodIssues } from "../errors/zod-issues.ts";
import { ContractError } from "./contract-error.ts";
import { type ModelContract, ModelContractSchema } from "./model-contract-schema.ts";

/** Result of {@link safeParseContract}. */
export type SafeParseContractResult =
  | { readonly success: true; readonly data: ModelContract }
  | { readonly success: false; readonly error: ContractError };

/**
 * Validates a model contract (an object, or its JSON text as stored in ONNX metadata) without throwing;
 * a failure carries a ContractError whose issues have zod's paths.
 */
export function safeParseContract(json: unknown, fn = "safeParseContract"): SafeParseContractResult {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      return {
        success: false,
        error: new ContractError(fn, [{ path: "", message: `not JSON: ${(e as Error).message}` }]),
      };
    }
  }
  const r = ModelContractSchema.safeParse(value);
  if (r.success) return { success: true, data: r.data };
  return { success: false, error: new ContractError(fn, zodIssues(r.error)) };
}

/** Validates a model contract (object or JSON text); throws ContractError (code ERR_CONTRACT) listing every issue. */
export function parseContract(json: unknown): ModelContract {
  const r = safeParseContract(json, "parseContract");
  if (!r.success) throw r.error;
  return r.data;
}
