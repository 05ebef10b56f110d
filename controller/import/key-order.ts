// Keys in the order of the API reference: the JSON Schemas are generated from the AWS SDK's shapes,
// whose member order is the API's, so a manifest is ordered by walking it alongside its schema.
// Keys the schema does not know (never expected) keep their place after the known ones; user maps
// (tags, dockerLabels, log options) keep the order ECS returned.

import { isPlainObject, type PlainObject } from '../diff/normalize/values.js';
import { KIND_SCHEMAS } from '../manifest/schema-validate.js';
import type { Kind } from '../types.js';

type Schema = Record<string, unknown>;

function resolve(node: unknown, root: Schema): Schema | undefined {
  if (!isPlainObject(node)) return undefined;
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
    const definitions = root.definitions as Record<string, unknown> | undefined;
    return resolve(definitions?.[ref.slice('#/definitions/'.length)], root);
  }
  return node;
}

/** The properties a node allows, in order, merging allOf / anyOf / oneOf branches. */
function properties(node: Schema, root: Schema): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const visit = (raw: unknown) => {
    const schema = resolve(raw, root);
    if (!schema) return;
    if (isPlainObject(schema.properties)) {
      for (const [key, child] of Object.entries(schema.properties)) if (!out.has(key)) out.set(key, child);
    }
    for (const branch of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[branch];
      if (Array.isArray(list)) for (const item of list) visit(item);
    }
  };
  visit(node);
  return out;
}

function order(value: unknown, raw: unknown, root: Schema): unknown {
  const schema = resolve(raw, root);
  if (Array.isArray(value)) return value.map((item) => order(item, schema?.items, root));
  if (!isPlainObject(value)) return value;
  if (!schema) return value;
  const known = properties(schema, root);
  const additional = schema.additionalProperties;
  const out: PlainObject = {};
  for (const [key, child] of known) if (key in value) out[key] = order(value[key], child, root);
  for (const [key, child] of Object.entries(value)) {
    if (!(key in out)) out[key] = order(child, isPlainObject(additional) ? additional : undefined, root);
  }
  return out;
}

/** A whole manifest document (apiVersion, kind, metadata, spec) with its keys in API order. */
export function orderDocument(kind: Kind, document: PlainObject): PlainObject {
  const root = KIND_SCHEMAS[kind] as Schema;
  return order(document, root, root) as PlainObject;
}
