import type { Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.ts";
import { classColors } from "../codec/class-colors.ts";
import type { ServedModel } from "../model/served-model.ts";

/** The public description of a served model (GET /v1/models). */
export function modelSummary(m: ServedModel) {
  const { contract } = m.info;
  const colors = classColors(contract);
  return {
    id: m.info.id,
    ready: m.isReady(),
    sha256: m.info.sha256 ?? null,
    precision: m.info.precision ?? null,
    task: contract.task,
    inputSize: contract.input.size,
    classes: contract.classes.map((k) => ({ index: k.index, name: k.name, color: colors[k.index] })),
    contract,
    metadata: m.info.metadata,
  };
}

/** GET /v1/models: every model with its contract, classes and hash. */
export function modelRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  app.get("/v1/models", (c) => c.json({ models: [...ctx.models.values()].map(modelSummary) }));
}
