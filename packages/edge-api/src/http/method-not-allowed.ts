import type { Hono } from "hono";
import type { AppEnv } from "../app-context.ts";
import { HttpError } from "./http-error.ts";

/**
 * The methods each concrete path of `app` answers (GET implies HEAD; OPTIONS where CORS answers preflights),
 * read from its routes once they are all registered; middleware (`ALL`, wildcards) is left out.
 */
export function allowedMethods(app: Hono<AppEnv>, options: { cors: boolean }): ReadonlyMap<string, string> {
  const byPath = new Map<string, Set<string>>();
  for (const r of app.routes) {
    if (r.method === "ALL" || r.path.includes("*") || r.path.includes(":")) continue;
    const set = byPath.get(r.path) ?? new Set<string>();
    set.add(r.method);
    if (r.method === "GET") set.add("HEAD");
    if (options.cors) set.add("OPTIONS");
    byPath.set(r.path, set);
  }
  return new Map([...byPath].map(([p, m]) => [p, [...m].join(", ")]));
}

/** 405 ERR_METHOD_NOT_ALLOWED with `Allow` for a known path, else 404 ERR_NOT_FOUND. */
export function noRoute(allowed: ReadonlyMap<string, string>, method: string, path: string): HttpError {
  const allow = allowed.get(path);
  if (allow === undefined) return new HttpError(404, "ERR_NOT_FOUND", "no such route");
  return new HttpError(405, "ERR_METHOD_NOT_ALLOWED", `${method.slice(0, 16)} is not allowed here; use ${allow}`, {
    headers: { allow },
    details: { allow: allow.split(", ") },
  });
}
