// Which hook Tasks a pass must run, and the clientToken each run carries. Pure.
//
// A PreSync hook runs when a service it guards is about to change because Git changed (a deploy,
// never a drift heal or a steady resync); it runs once per revision: the RunTask clientToken is
// derived from the revision and the task, so a retry or a restarted controller gets the same task
// back from ECS instead of starting a second one (docs/tasks.md).
import { createHash } from 'node:crypto';
import type { DesiredState, DesiredTask, HookPhase } from '../manifest/model.js';
import { type KeyString, keyString } from '../types.js';

/**
 * ECS accepts RunTask clientTokens of up to 64 ASCII characters 33-126. `attempt` counts the
 * retries Sync now asked for: each one is a new run, so a new token.
 */
export function hookToken(revision: string, task: string, phase: HookPhase, attempt = 0): string {
  const seed = attempt === 0 ? revision : `${revision}#${attempt}`;
  const digest = createHash('sha256').update(`${seed}\u0000${phase}\u0000${task}`).digest('hex');
  return `ecs-gitops-${phase.toLowerCase()}-${digest.slice(0, 40)}`;
}

export function hookTasks(desired: DesiredState, phase: HookPhase): DesiredTask[] {
  return desired.resources.filter(
    (resource): resource is DesiredTask => resource.kind === 'Task' && resource.hook?.phase === phase,
  );
}

/** The Service keys a hook guards: those it names, or every Service of the revision. */
export function guardedBy(task: DesiredTask, desired: DesiredState): KeyString[] {
  const services = desired.resources.filter((resource) => resource.kind === 'Service');
  const guards = task.hook?.for;
  const names = guards === undefined ? services.map((service) => service.name) : guards;
  return names.map((name) => keyString({ kind: 'Service', name }));
}

export interface HookDue {
  readonly task: DesiredTask;
  readonly token: string;
  /** The guarded services this revision deploys. */
  readonly deploying: readonly KeyString[];
}

/** The hooks of a phase that guard at least one of the services being deployed. */
export function hooksDue(
  desired: DesiredState,
  phase: HookPhase,
  deploying: ReadonlySet<KeyString>,
): HookDue[] {
  const due: HookDue[] = [];
  for (const task of hookTasks(desired, phase)) {
    const guarded = guardedBy(task, desired).filter((key) => deploying.has(key));
    if (guarded.length === 0) continue;
    due.push({ task, token: hookToken(desired.revision, task.name, phase), deploying: guarded });
  }
  return due;
}
