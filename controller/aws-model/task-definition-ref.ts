// Task definition references come as a family, `family:revision` or a full ARN; ECS returns ARNs.
// One form for comparisons: `family:revision` (or `family` when no revision is given).

const ARN = /^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/(.+)$/;

export interface ParsedTaskDefinitionRef {
  readonly family: string;
  readonly revision?: number;
}

export function parseTaskDefinitionRef(value: string): ParsedTaskDefinitionRef {
  const body = ARN.exec(value)?.[1] ?? value;
  const colon = body.lastIndexOf(':');
  if (colon > 0) {
    const revision = Number(body.slice(colon + 1));
    if (Number.isInteger(revision) && revision > 0) return { family: body.slice(0, colon), revision };
  }
  return { family: body };
}

/** `arn:…:task-definition/web:3` → `web:3`; `web:3` → `web:3`; `web` → `web`. */
export function shortTaskDefinitionRef(value: string): string {
  const parsed = parseTaskDefinitionRef(value);
  return parsed.revision === undefined ? parsed.family : `${parsed.family}:${parsed.revision}`;
}

/** Does a live ARN satisfy a reference? A bare family matches any revision of it only via `latest`. */
export function sameTaskDefinition(reference: string, liveArn: string): boolean {
  return shortTaskDefinitionRef(reference) === shortTaskDefinitionRef(liveArn);
}
