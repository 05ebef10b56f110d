// metadata.annotations → ResourcePolicy. Annotations under the ecs-gitops/ prefix are ours: an unknown
// key or value is an error (a typo must not silently change what the controller does).
import { ANNOTATIONS, type DriftPolicy, type Kind } from '../types.js';
import type { ResourcePolicy } from './model.js';
import { didYouMean } from './suggest.js';

export const EXTERNAL_CLUSTER_ANNOTATION = 'ecs-gitops/external-cluster';

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  [ANNOTATIONS.sync]: ['enabled', 'disabled'],
  [ANNOTATIONS.prune]: ['enabled', 'disabled'],
  [ANNOTATIONS.drift]: ['alert', 'heal', 'ignore'],
  [ANNOTATIONS.replace]: ['allowed', 'disallowed'],
  [ANNOTATIONS.adopt]: ['true', 'false'],
  [EXTERNAL_CLUSTER_ANNOTATION]: ['true', 'false'],
  [ANNOTATIONS.hook]: ['PreSync', 'PostSync', 'SyncFail'],
};

/** The deployment gate's annotations: values checked by manifest/approval-gate.ts. */
const GATE_ANNOTATIONS: ReadonlySet<string> = new Set([
  'ecs-gitops/approval',
  'ecs-gitops/approval-stages',
  'ecs-gitops/analysis',
]);
/** Annotations with free-form values, checked by their own rules (manifest/task-rules.ts, approval-gate.ts). */
const FREE_FORM: ReadonlySet<string> = new Set([
  ANNOTATIONS.hookFor,
  ANNOTATIONS.hookTimeout,
  ...GATE_ANNOTATIONS,
]);
const TASK_ONLY: ReadonlySet<string> = new Set([
  ANNOTATIONS.hook,
  ANNOTATIONS.hookFor,
  ANNOTATIONS.hookTimeout,
]);

/**
 * Tags that record an annotation on the resource itself, because it must still hold after the
 * manifest has left Git: `ecs-gitops/prune: disabled` → `ecs-gitops/prune=disabled`, which the
 * prune path reads from the live resource.
 */
export function policyTags(policy: ResourcePolicy): Record<string, string> {
  return policy.prune ? {} : { [ANNOTATIONS.prune]: 'disabled' };
}

/** True when live tags (any AWS shape, as a map) carry the prune protection. */
export function isPruneProtected(tags: Readonly<Record<string, string>> | undefined): boolean {
  return tags?.[ANNOTATIONS.prune] === 'disabled';
}

export interface AnnotationIssue {
  readonly key: string;
  readonly at: 'key' | 'value';
  readonly message: string;
}

export function parseAnnotations(
  kind: Kind,
  annotations: Readonly<Record<string, string>> | undefined,
): { policy: ResourcePolicy; issues: AnnotationIssue[] } {
  const issues: AnnotationIssue[] = [];
  const values = annotations ?? {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith('ecs-gitops/')) continue;
    if (TASK_ONLY.has(key) && kind !== 'Task') {
      issues.push({ key, at: 'key', message: `annotation ${key} only applies to a Task` });
      continue;
    }
    if (GATE_ANNOTATIONS.has(key) && kind !== 'Service') {
      issues.push({ key, at: 'key', message: `annotation ${key} only applies to a Service` });
      continue;
    }
    if (FREE_FORM.has(key)) continue;
    const allowed = ALLOWED[key];
    if (!allowed) {
      issues.push({
        key,
        at: 'key',
        message: `unknown annotation "${key}"${didYouMean(key, [...Object.keys(ALLOWED), ...FREE_FORM])}`,
      });
    } else if (!allowed.includes(value)) {
      issues.push({
        key,
        at: 'value',
        message: `invalid value ${JSON.stringify(value)} for annotation ${key}; use ${allowed.join(' or ')}${didYouMean(value, allowed)}`,
      });
    } else if (key === EXTERNAL_CLUSTER_ANNOTATION && kind !== 'Service' && kind !== 'Task') {
      issues.push({ key, at: 'key', message: `annotation ${key} only applies to a Service or a Task` });
    }
  }
  const valid = (key: string): string | undefined => {
    const value = values[key];
    return value !== undefined && ALLOWED[key]?.includes(value) ? value : undefined;
  };
  const drift = valid(ANNOTATIONS.drift) as DriftPolicy | undefined;
  const policy: ResourcePolicy = {
    sync: valid(ANNOTATIONS.sync) !== 'disabled',
    prune: valid(ANNOTATIONS.prune) !== 'disabled',
    ...(drift ? { drift } : {}),
    replaceAllowed: valid(ANNOTATIONS.replace) === 'allowed',
    adopt: valid(ANNOTATIONS.adopt) === 'true',
  };
  return { policy, issues };
}
