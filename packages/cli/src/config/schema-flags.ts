import { type FlagMeta, TrainConfigSchema } from "@bcpseg/trainer/config";
import { z } from "zod";
import type { OptionSpec } from "../cli/command.ts";

/** A JSON Schema node of the training config, with the trainer's flag metadata where it has some. */
interface SchemaNode extends Partial<FlagMeta> {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly const?: unknown;
  readonly minimum?: number;
  readonly flagPrefix?: string;
  readonly flagTitle?: string;
}

/** One `bcpseg train` flag derived from a config field. */
export interface SchemaFlag {
  readonly name: string;
  /** Config paths the value goes to (the field's, then its `also`). */
  readonly paths: readonly (readonly string[])[];
  readonly node: SchemaNode;
  readonly option: OptionSpec;
}

/**
 * The train flags, read from the training config's own JSON Schema (zod's `toJSONSchema`): every field with
 * flag metadata, in schema order, with its help text and default as the trainer wrote them.
 */
export function schemaFlags(schema: z.ZodType = TrainConfigSchema): SchemaFlag[] {
  const root = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as SchemaNode;
  const out: SchemaFlag[] = [];
  const walk = (node: SchemaNode, path: string[], prefix: string, title: string) => {
    if (node.flag !== undefined && node.placeholder !== undefined && node.description !== undefined) {
      const description = title ? `${title} ${node.description}` : node.description;
      const option: OptionSpec = {
        type: "string",
        placeholder: node.placeholder,
        description,
        ...(node.short ? { short: node.short } : {}),
        ...(node.defaultText ? { defaultText: node.defaultText } : {}),
      };
      const paths = [path, ...(node.also ?? []).map((p) => p.split("."))];
      out.push({ name: `${prefix}${node.flag}`, paths, node, option });
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      walk(child, [...path, key], prefix + (child.flagPrefix ?? ""), child.flagTitle ?? title);
    }
  };
  walk(root, [], "", "");
  return out;
}
