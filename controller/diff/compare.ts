// Field-by-field comparison of two normalized values into FieldChanges with readable paths.
// Lists with an identity are matched by it (order-free) and named in the path:
// `containerDefinitions[web].image`, `environment[LOG_LEVEL]`, `targetTracking[cpu60].targetValue`.
import type { FieldChange } from './model.js';
import { portMappingKey } from './normalize/container-definition.js';
import { isSecretName, looksLikeSecretValue, MASK } from './normalize/sensitive.js';
import { capacityProviderStrategyKey, loadBalancerKey } from './normalize/service.js';
import { deepEqual, isPlainObject, type PlainObject } from './normalize/values.js';

interface ListRule {
  /** The item's identity within the list. */
  readonly key: (item: PlainObject) => string;
  /** Name/value lists: the one field compared, so the path ends at the item (`environment[X]`). */
  readonly value?: string;
  /** The field holding the identity, for name/value lists. */
  readonly keyField?: string;
}

const byField = (field: string) => (item: PlainObject) => String(item[field] ?? '');
const pair = (keyField: string, value: string): ListRule => ({ key: byField(keyField), keyField, value });

/** Keyed lists, by field name (the names are unambiguous across the four kinds). */
const LIST_RULES: Readonly<Record<string, ListRule>> = {
  containerDefinitions: { key: byField('name') },
  environment: pair('name', 'value'),
  secrets: pair('name', 'valueFrom'),
  secretOptions: pair('name', 'valueFrom'),
  settings: pair('name', 'value'),
  systemControls: pair('namespace', 'value'),
  portMappings: { key: portMappingKey },
  volumes: { key: byField('name') },
  mountPoints: { key: byField('containerPath') },
  volumesFrom: { key: byField('sourceContainer') },
  dependsOn: pair('containerName', 'condition'),
  ulimits: { key: byField('name') },
  extraHosts: pair('hostname', 'ipAddress'),
  resourceRequirements: pair('type', 'value'),
  inferenceAccelerators: { key: byField('deviceName') },
  capacityProviderStrategy: { key: capacityProviderStrategyKey },
  defaultCapacityProviderStrategy: { key: capacityProviderStrategyKey },
  loadBalancers: { key: loadBalancerKey },
  serviceRegistries: { key: byField('registryArn') },
  targetTracking: { key: byField('policyName') },
  stepScaling: { key: byField('policyName') },
  scheduledActions: { key: byField('scheduledActionName') },
  properties: pair('name', 'value'),
};

/** Fields whose values are user data maps: their keys are shown in brackets. */
const MAP_FIELDS = new Set(['tags', 'dockerLabels', 'options', 'driverOpts', 'labels']);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function joinField(path: string, field: string, parentField: string | undefined): string {
  if (parentField !== undefined && MAP_FIELDS.has(parentField)) return `${path}[${field}]`;
  if (!IDENTIFIER.test(field)) return `${path}[${JSON.stringify(field)}]`;
  return path === '' ? field : `${path}.${field}`;
}

function lastField(path: string): string | undefined {
  const match = /([A-Za-z_$][A-Za-z0-9_$]*)(?:\[[^\]]*\])*$/.exec(path);
  return match?.[1];
}

export interface CompareOptions {
  /** Create-only field paths (exact top-level field names) for this kind. */
  readonly createOnly?: ReadonlySet<string>;
}

function topField(path: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(path)?.[0] ?? path;
}

function push(
  out: FieldChange[],
  path: string,
  desired: unknown,
  live: unknown,
  options: CompareOptions,
  sensitive = false,
): void {
  const op = desired === undefined ? 'remove' : live === undefined ? 'add' : 'change';
  const change: {
    path: string;
    op: FieldChange['op'];
    desired?: unknown;
    live?: unknown;
    createOnly?: boolean;
    sensitive?: boolean;
  } = { path, op };
  // Whole containers or environment lists added/removed carry values too: redact inside them.
  const field = lastField(path);
  const d = sensitive ? { value: MASK, redacted: true } : redactSecrets(desired, field);
  const l = sensitive ? { value: MASK, redacted: true } : redactSecrets(live, field);
  if (desired !== undefined) change.desired = d.value;
  if (live !== undefined) change.live = l.value;
  if (options.createOnly?.has(topField(path))) change.createOnly = true;
  if (sensitive || d.redacted || l.redacted) change.sensitive = true;
  out.push(change);
}

/** Masks environment values that look like secrets anywhere inside a value. */
export function redactSecrets(value: unknown, field?: string): { value: unknown; redacted: boolean } {
  let redacted = false;
  const walk = (node: unknown, name: string | undefined): unknown => {
    if (Array.isArray(node)) {
      if (name === 'environment') {
        return node.map((item) => {
          if (!isPlainObject(item)) return item;
          const key = String(item.name ?? '');
          if (isSecretName(key) || looksLikeSecretValue(item.value)) {
            redacted = true;
            return { ...item, value: MASK };
          }
          return item;
        });
      }
      return node.map((item) => walk(item, undefined));
    }
    if (isPlainObject(node)) {
      const out: PlainObject = {};
      for (const [key, child] of Object.entries(node)) out[key] = walk(child, key);
      return out;
    }
    return node;
  };
  const result = walk(value, field);
  return { value: result, redacted };
}

function uniqueKeys(items: readonly unknown[], rule: ListRule): string[] | undefined {
  const keys: string[] = [];
  for (const item of items) {
    if (!isPlainObject(item)) return undefined;
    keys.push(rule.key(item));
  }
  return new Set(keys).size === keys.length ? keys : undefined;
}

function compareKeyedList(
  desired: readonly unknown[],
  live: readonly unknown[],
  path: string,
  field: string,
  rule: ListRule,
  out: FieldChange[],
  options: CompareOptions,
): boolean {
  const desiredKeys = uniqueKeys(desired, rule);
  const liveKeys = uniqueKeys(live, rule);
  if (!desiredKeys || !liveKeys) return false;
  const liveByKey = new Map(liveKeys.map((key, index) => [key, live[index] as PlainObject]));
  const desiredByKey = new Map(desiredKeys.map((key, index) => [key, desired[index] as PlainObject]));
  const ordered = [...desiredKeys, ...liveKeys.filter((key) => !desiredByKey.has(key))];
  for (const key of ordered) {
    const itemPath = `${path}[${key}]`;
    const d = desiredByKey.get(key);
    const l = liveByKey.get(key);
    if (rule.value !== undefined && isPairItem(d, rule) && isPairItem(l, rule)) {
      const dv = d?.[rule.value];
      const lv = l?.[rule.value];
      if (!deepEqual(dv, lv)) {
        const sensitive =
          field === 'environment' &&
          (isSecretName(key) || looksLikeSecretValue(dv) || looksLikeSecretValue(lv));
        push(out, itemPath, dv, lv, options, sensitive);
      }
      continue;
    }
    compareInto(d, l, itemPath, out, options);
  }
  return true;
}

/** An item of a name/value list that carries nothing but its key and its value. */
function isPairItem(item: PlainObject | undefined, rule: ListRule): boolean {
  if (item === undefined) return true;
  return Object.keys(item).every((key) => key === rule.value || key === rule.keyField);
}

function compareInto(
  desired: unknown,
  live: unknown,
  path: string,
  out: FieldChange[],
  options: CompareOptions,
): void {
  if (deepEqual(desired, live)) return;
  if (desired === undefined || live === undefined) {
    push(out, path, desired, live, options);
    return;
  }
  if (isPlainObject(desired) && isPlainObject(live)) {
    const fields = [...Object.keys(desired), ...Object.keys(live).filter((key) => !(key in desired))];
    const here = path === '' ? undefined : lastField(path);
    for (const field of fields) {
      compareInto(desired[field], live[field], joinField(path, field, here), out, options);
    }
    return;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    const field = lastField(path) ?? '';
    const rule = LIST_RULES[field];
    if (rule && compareKeyedList(desired, live, path, field, rule, out, options)) return;
    const scalars = [...desired, ...live].every((item) => !isPlainObject(item) && !Array.isArray(item));
    if (scalars) {
      push(out, path, desired, live, options);
      return;
    }
    const length = Math.max(desired.length, live.length);
    for (let index = 0; index < length; index += 1) {
      compareInto(desired[index], live[index], `${path}[${index}]`, out, options);
    }
    return;
  }
  push(out, path, desired, live, options);
}

/** All differences between two normalized objects; an empty list means "in sync". */
export function compareObjects(
  desired: PlainObject,
  live: PlainObject,
  options: CompareOptions = {},
): FieldChange[] {
  const out: FieldChange[] = [];
  compareInto(desired, live, '', out, options);
  return out;
}

/**
 * Changes for a resource that does not exist yet: every field is an `add`, and keyed lists are
 * listed item by item (`containerDefinitions[web]`) rather than as one long value.
 */
export function compareCreate(desired: PlainObject, options: CompareOptions = {}): FieldChange[] {
  const skeleton: PlainObject = {};
  for (const [field, value] of Object.entries(desired)) {
    if (Array.isArray(value) && LIST_RULES[field] && !LIST_RULES[field].value) skeleton[field] = [];
  }
  return compareObjects(desired, skeleton, options);
}
