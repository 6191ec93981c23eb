import type { ByteBudget } from "./http/byte-budget.ts";
import type { Limiter } from "./http/limiter.ts";
import type { Logger } from "./http/logger.ts";
import type { ServedModel } from "./model/served-model.ts";
import type { TensorLedger } from "./model/tensor-ledger.ts";
import type { ResolvedLimits } from "./options.ts";

/** What the routes share: the models (first = default), limits, the queue, the tensor ledger, the logger. */
export interface AppContext {
  readonly models: ReadonlyMap<string, ServedModel>;
  readonly defaultModel: ServedModel;
  readonly limits: ResolvedLimits;
  readonly limiter: Limiter;
  /** Request-body bytes buffered across requests (limits.bufferedBytes). */
  readonly bodies: ByteBudget;
  readonly ledger: TensorLedger;
  readonly logger: Logger;
  readonly auth: boolean;
}

/** Hono variables set per request. */
export interface AppEnv {
  Variables: { requestId: string; modelId?: string; errorCode?: string };
}
