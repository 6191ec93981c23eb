import { readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { configError } from "../errors/cli-error.ts";

/** Reads a config file: `.json` as JSON, `.yaml`/`.yml` as YAML (anything else: tried as YAML, a JSON superset). */
export async function readConfigFile(path: string, cwd = "."): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), "utf8");
  } catch (e) {
    throw configError(`cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfigText(text, path);
}

/** Parses config text by the file's extension; the top level must be an object. */
export function parseConfigText(text: string, path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = extname(path).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text, { prettyErrors: false });
  } catch (e) {
    throw configError(
      `config file ${path} is not valid ${extname(path) === ".json" ? "JSON" : "YAML"}: ${(e as Error).message}`,
    );
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc))
    throw configError(`config file ${path} must hold an object at the top`);
  return doc as Record<string, unknown>;
}
