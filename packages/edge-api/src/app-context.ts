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
  /** CORS headers are added by a middleware (the raw fast answers then leave every request to the app). */
  readonly cors: boolean;
  /**
   * Logs one answered request; shed refusals (ERR_BUSY) at most once a second, each line counting the refusals
   * since the last one (`shed`). Every path that answers a request (the app, the raw fast answers) logs here.
   */
  logRequest(r: RequestLogFields): void;
}

/** What a request's log line says. */
export interface RequestLogFields {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** performance.now() when the request arrived. */
  readonly t0: number;
  readonly model?: string;
  readonly code?: string;
}

/** Hono variables set per request. */
export interface AppEnv {
  Variables: { requestId: string; modelId?: string; errorCode?: string };
}
