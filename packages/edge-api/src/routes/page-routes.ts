import type { Hono } from "hono";
import type { AppEnv } from "../app-context.ts";
import { PAGE_HTML } from "../page/page-html.ts";
import { openApiDocument } from "./openapi-document.ts";

/** GET / (the page) and GET /openapi.json. */
export function pageRoutes(app: Hono<AppEnv>, options: { page: boolean; auth: boolean; version: string }): void {
  const doc = openApiDocument(options); // built once: the schemas do not change
  app.get("/openapi.json", (c) => c.json(doc));
  if (options.page) {
    app.get("/", (c) =>
      c.html(PAGE_HTML, 200, {
        "content-security-policy":
          "default-src 'self'; img-src 'self' blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
      }),
    );
  }
}
