// Whether a role's trust policy lets ECS tasks assume it: an Allow statement for
// `ecs-tasks.amazonaws.com` (or `*`) and `sts:AssumeRole`, and no Deny of the same. Pure; conditions
// (aws:SourceAccount, aws:SourceArn) are not evaluated: they narrow who may assume, they do not
// decide whether ECS is trusted at all.
export const ECS_TASKS = 'ecs-tasks.amazonaws.com';

export type Trust = { readonly trusted: true } | { readonly trusted: false; readonly reason: string };

interface Statement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly Action?: unknown;
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function coversAssumeRole(statement: Statement): boolean {
  return list(statement.Action).some((action) =>
    ['sts:assumerole', 'sts:*', '*'].includes(action.toLowerCase()),
  );
}

function services(statement: Statement): string[] {
  const principal = statement.Principal;
  if (principal === '*') return ['*'];
  if (typeof principal !== 'object' || principal === null) return [];
  return list((principal as { Service?: unknown }).Service);
}

function coversEcsTasks(statement: Statement): boolean {
  return services(statement).some((service) => service === '*' || service === ECS_TASKS);
}

/** `document` is the policy JSON (already URL-decoded). */
export function trustsEcsTasks(document: string): Trust {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return { trusted: false, reason: 'its trust policy is not valid JSON' };
  }
  const raw = (parsed as { Statement?: unknown } | null)?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Statement[];
  const matching = statements.filter((s) => coversAssumeRole(s) && coversEcsTasks(s));
  if (matching.some((s) => s.Effect === 'Deny'))
    return { trusted: false, reason: `its trust policy denies ${ECS_TASKS} sts:AssumeRole` };
  if (matching.some((s) => s.Effect === 'Allow')) return { trusted: true };
  const trusted = [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap(services))];
  return {
    trusted: false,
    reason: `its trust policy does not allow ${ECS_TASKS} to sts:AssumeRole (it trusts ${trusted.length > 0 ? trusted.join(', ') : 'no service'})`,
  };
}
