// JSON Schema validation (ajv, schemas/*.schema.json) with errors turned into plain words.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import capacityProviderSchema from '../../schemas/capacity-provider.schema.json' with { type: 'json' };
import clusterSchema from '../../schemas/cluster.schema.json' with { type: 'json' };
import overlaySchema from '../../schemas/overlay.schema.json' with { type: 'json' };
import scalingPolicySchema from '../../schemas/scaling-policy.schema.json' with { type: 'json' };
import scheduledTaskSchema from '../../schemas/scheduled-task.schema.json' with { type: 'json' };
import serviceSchema from '../../schemas/service.schema.json' with { type: 'json' };
import taskSchema from '../../schemas/task.schema.json' with { type: 'json' };
import taskDefinitionSchema from '../../schemas/task-definition.schema.json' with { type: 'json' };
import type { Kind } from '../types.js';
import { didYouMean } from './suggest.js';

/** A schema violation: where (JSON pointer), and whether it is best shown at the key or the value. */
export interface SchemaIssue {
  readonly pointer: string;
  readonly at: 'key' | 'value';
  readonly message: string;
}

type JsonSchema = Record<string, unknown>;

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
addFormats(ajv);

export const KIND_SCHEMAS: Readonly<Record<Kind, JsonSchema>> = {
  CapacityProvider: capacityProviderSchema,
  Cluster: clusterSchema,
  TaskDefinition: taskDefinitionSchema,
  Service: serviceSchema,
  ScalingPolicy: scalingPolicySchema,
  ScheduledTask: scheduledTaskSchema,
  Task: taskSchema,
};

const validators = new Map<Kind, ValidateFunction>();

function validatorFor(kind: Kind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    validate = ajv.compile(KIND_SCHEMAS[kind]);
    validators.set(kind, validate);
  }
  return validate;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** "integer >= 0", "integer between 1 and 10", "string" … from the schema of the failing node. */
function expected(schema: JsonSchema | undefined): string {
  if (!schema) return 'valid';
  const type = schema.type;
  const base = Array.isArray(type) ? type.join(' or ') : typeof type === 'string' ? type : 'value';
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  if (min !== undefined && max !== undefined) return `${base} between ${min} and ${max}`;
  if (min !== undefined) return `${base} >= ${min}`;
  if (max !== undefined) return `${base} <= ${max}`;
  return base;
}

function quoteHint(data: unknown, schema: JsonSchema | undefined): string {
  const type = schema?.type;
  const wantsString = type === 'string' || (Array.isArray(type) && type.includes('string'));
  if (wantsString && (typeof data === 'number' || typeof data === 'boolean')) {
    return ` (quote it: "${String(data)}")`;
  }
  return '';
}

function message(error: ErrorObject): SchemaIssue | undefined {
  const parent = error.parentSchema as JsonSchema | undefined;
  const params = error.params as Record<string, unknown>;
  const pointer = error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((parent?.properties as JsonSchema | undefined) ?? {});
      return {
        pointer: `${pointer}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        at: 'key',
        message: `unknown field "${field}"${didYouMean(field, known)}`,
      };
    }
    case 'required':
      return { pointer, at: 'value', message: `missing required field "${String(params.missingProperty)}"` };
    case 'type':
      return {
        pointer,
        at: 'value',
        message: `must be ${expected(parent)}, got ${typeName(error.data)}${quoteHint(error.data, parent)}`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { pointer, at: 'value', message: `must be ${expected(parent)}, got ${String(error.data)}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const value = String(error.data);
      const hint = typeof error.data === 'string' ? didYouMean(value, allowed) : '';
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, …` : allowed.join(', ');
      return { pointer, at: 'value', message: `${JSON.stringify(error.data)} is not one of ${list}${hint}` };
    }
    case 'const':
      return {
        pointer,
        at: 'value',
        message: `must be ${JSON.stringify(params.allowedValue)}, got ${JSON.stringify(error.data)}`,
      };
    case 'pattern':
      return {
        pointer,
        at: 'value',
        message: `${JSON.stringify(error.data)} ${patternMeaning(String(params.pattern))}`,
      };
    case 'minLength':
      return {
        pointer,
        at: 'value',
        message:
          params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters`,
      };
    case 'maxLength':
      return { pointer, at: 'value', message: `must be at most ${String(params.limit)} characters` };
    case 'minItems':
      return {
        pointer,
        at: 'value',
        message: `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
      };
    case 'maxItems':
      return { pointer, at: 'value', message: `must have at most ${String(params.limit)} items` };
    case 'minProperties':
    case 'maxProperties': {
      if (parent?.maxProperties === 1 && parent.minProperties === 1) {
        const options = Object.keys((parent.properties as JsonSchema | undefined) ?? {});
        return { pointer, at: 'value', message: `must set exactly one of ${options.join(', ')}` };
      }
      const word = error.keyword === 'minProperties' ? 'at least' : 'at most';
      return { pointer, at: 'value', message: `must have ${word} ${String(params.limit)} entries` };
    }
    case 'format':
      return {
        pointer,
        at: 'value',
        message: `must be a ${String(params.format)} (e.g. 2025-01-31T18:00:00Z), got ${typeName(error.data)}`,
      };
    case 'propertyNames':
      return undefined; // reported by the nested error on the name itself
    case 'if':
      return undefined; // the nested `then` errors say what is wrong
    default:
      return { pointer, at: 'value', message: error.message ?? 'is invalid' };
  }
}

const PATTERN_MEANINGS: Record<string, string> = {
  '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$':
    'is not a valid name: use lowercase letters, digits, "-" and "." (start and end with a letter or digit, at most 253 characters)',
  '^[A-Za-z0-9_-]{1,255}$': 'may only contain letters, digits, "-" and "_" (at most 255 characters)',
  '^[a-z0-9_][a-z0-9_-]{0,63}$':
    'may only contain lowercase letters, digits, "_" and "-" (not starting with "-", at most 64 characters)',
  '^[^:/]+$': 'must not contain ":" or "/"',
  '^[a-z0-9][a-z0-9.-]{0,62}$':
    'is not a valid name prefix: use lowercase letters, digits, "-" and "." (start with a letter or digit)',
  '^[a-z0-9.-]{0,62}[a-z0-9]$':
    'is not a valid name suffix: use lowercase letters, digits, "-" and "." (end with a letter or digit)',
  '^[A-Za-z_][A-Za-z0-9_]*$':
    'is not a variable name: use letters, digits and "_" (not starting with a digit)',
};

function patternMeaning(pattern: string): string {
  const known = PATTERN_MEANINGS[pattern];
  if (known) return known;
  if (pattern.includes('vcpu') || pattern.includes('[vV][cC][pP][uU]')) {
    return 'is not a CPU amount: use CPU units ("256", 1024) or vCPUs ("0.25 vCPU", "2 vCPU")';
  }
  if (pattern.includes('[gG][bB]'))
    return 'is not a memory amount: use MiB ("512", 2048) or a unit ("1 GB", "512 MiB")';
  return `must match ${pattern}`;
}

/** Validates one document against its kind's schema. Every problem, deduplicated, in document order. */
export function validateSchema(kind: Kind, document: unknown): SchemaIssue[] {
  return issuesOf(validatorFor(kind), document);
}

let overlayValidator: ValidateFunction | undefined;

/** The same for an ecs-gitops.yaml (kind Overlay). */
export function validateOverlaySchema(document: unknown): SchemaIssue[] {
  overlayValidator ??= ajv.compile(overlaySchema);
  return issuesOf(overlayValidator, document);
}

function issuesOf(validate: ValidateFunction, document: unknown): SchemaIssue[] {
  if (validate(document)) return [];
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const issue = message(error);
    if (!issue) continue;
    const id = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}
