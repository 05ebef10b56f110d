// Small value helpers shared by the normalizers: plain-object checks, absent-value pruning, stable JSON.

export type PlainObject = Record<string, unknown>;

/**
 * A manifest's spec as the comparers read it. A spec is parsed YAML that passed the kind's JSON
 * Schema (manifest/spec-types.ts is generated from that schema), so it is plain JSON data; the
 * generated interfaces only lack an index signature, which is all this widening adds. The one place
 * that says so, instead of an `as unknown as` at every comparer.
 */
export function plainSpec(spec: object): PlainObject {
  return spec as PlainObject;
}

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** null, undefined, [], {} and objects whose fields are all absent count as "not set" (ECS echoes them freely). */
export function isAbsent(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/**
 * Recursively removes absent values (null / [] / {}) so that "not set" has exactly one form.
 * Dates become ISO strings: the SDK returns Date objects, fixtures hold strings or epoch numbers.
 */
export function dropAbsent(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(dropAbsent).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (isPlainObject(value)) {
    const out: PlainObject = {};
    for (const [key, field] of Object.entries(value)) {
      const cleaned = dropAbsent(field);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** Keeps only the listed fields (what the manifest can express); everything else is server-side noise. */
export function pick(source: PlainObject, fields: readonly string[]): PlainObject {
  const out: PlainObject = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    return keysA.length === keysB.length && keysA.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

/** JSON with object keys sorted: the input of content fingerprints. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function asObject(value: unknown): PlainObject {
  return isPlainObject(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
