import type { Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.ts";

/** GET /healthz (the process answers) and GET /readyz (every model's session is open). */
export function healthRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  app.get("/healthz", (c) => c.json({ status: "ok" as const }));
  app.get("/readyz", (c) => {
    const models = [...ctx.models.values()].map((m) => ({ id: m.info.id, state: m.state(), ready: m.isReady() }));
    const status = models.some((m) => m.state === "failed")
      ? "failed"
      : models.every((m) => m.ready)
        ? "ready"
        : "loading";
    const list = models.map(({ id, ready }) => ({ id, ready }));
    if (status === "ready") return c.json({ status, models: list });
    return c.json({ status, models: list }, 503, { "retry-after": "1" });
  });
}
