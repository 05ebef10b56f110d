// Typed readers for request members; a wrong type is an error shaped like the service's own.
import type { Json, JsonObject } from '../state.js';
import { ApiError } from './errors.js';

export type ErrorFactory = (message: string) => ApiError;

export const ecsInvalid: ErrorFactory = (message) => new ApiError('InvalidParameterException', message);
export const aasInvalid: ErrorFactory = (message) => new ApiError('ValidationException', message);

export class Input {
  constructor(
    readonly body: JsonObject,
    private readonly invalid: ErrorFactory = ecsInvalid,
  ) {}

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  raw(name: string): Json | undefined {
    const value = this.body[name];
    return value === null ? undefined : value;
  }

  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.invalid(`${name} must be a string.`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw this.invalid(`${name} can not be blank.`);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.invalid(`${name} must be a number.`);
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.number(name);
    if (value !== undefined && !Number.isInteger(value)) throw this.invalid(`${name} must be an integer.`);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.invalid(`${name} must be a boolean.`);
    return value;
  }

  object(name: string): JsonObject | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.invalid(`${name} must be an object.`);
    }
    return value;
  }

  array(name: string): Json[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.invalid(`${name} must be a list.`);
    return value;
  }

  objects(name: string): JsonObject[] | undefined {
    const list = this.array(name);
    if (list === undefined) return undefined;
    for (const item of list) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw this.invalid(`${name} must be a list of objects.`);
      }
    }
    return list as JsonObject[];
  }

  strings(name: string): string[] | undefined {
    const list = this.array(name);
    if (list === undefined) return undefined;
    if (!list.every((item) => typeof item === 'string'))
      throw this.invalid(`${name} must be a list of strings.`);
    return list as string[];
  }
}

/** Deep copy of plain JSON (records never share structure with requests or responses). */
export function clone<T extends Json | undefined>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

/** Drops undefined members so responses and stored records stay plain JSON. */
export function compact(object: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out;
}

/** Stable JSON (sorted keys): request hashes for idempotency. */
export function stableStringify(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`).join(',')}}`;
}
