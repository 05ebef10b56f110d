// nextToken / maxResults as the List* operations document them; tokens are opaque offsets.
import type { ApiError } from './errors.js';
import type { Input } from './input.js';

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export function paginate<T>(
  all: readonly T[],
  input: Input,
  limits: { readonly defaultMax: number; readonly max: number },
  invalid: (message: string) => ApiError,
): Page<T> {
  const maxResults = input.integer('maxResults') ?? limits.defaultMax;
  if (maxResults < 1 || maxResults > limits.max) {
    throw invalid(`maxResults must be between 1 and ${limits.max}.`);
  }
  const token = input.string('nextToken');
  let start = 0;
  if (token !== undefined && token !== '') {
    const decoded = decodeToken(token);
    if (decoded === undefined) throw invalid('Invalid nextToken.');
    start = decoded;
  }
  const items = all.slice(start, start + maxResults);
  const end = start + items.length;
  return end < all.length ? { items, nextToken: encodeToken(end) } : { items };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64');
}

function decodeToken(token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown };
    return typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}
