// Which hook Tasks a pass must run, and the clientToken each run carries. Pure.
//
// A PreSync hook runs when a service it guards is about to change because Git changed (a deploy,
// never a drift heal or a steady resync); it runs once per revision: the RunTask clientToken is
// derived from the revision and the task, so a retry or a restarted controller gets the same task
// back from ECS instead of starting a second one (docs/tasks.md).
import { createHash } from 'node:crypto';
import type { DesiredState, DesiredTask, HookPhase } from '../manifest/model.js';
import { type KeyString, keyString } from '../types.js';
import type { ChangeSet } from './model.js';

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

/** What a plan would run around its deploys (`diff`, `apply --dry-run`). */
export interface PlannedHook {
  readonly phase: HookPhase;
  /** `Task/NAME`. */
  readonly task: string;
  /** The guarded services the plan deploys (SyncFail: none, it runs when a hook fails). */
  readonly guards: readonly KeyString[];
}

/** The services a change set would create or update (not held back by anything). */
export function deployingServices(changeSet: ChangeSet): Set<KeyString> {
  return new Set(
    changeSet.entries
      .filter(
        (entry) =>
          entry.key.kind === 'Service' &&
          entry.action !== 'noop' &&
          entry.action !== 'delete' &&
          !entry.blocked,
      )
      .map((entry) => keyString(entry.key)),
  );
}

/** PreSync and PostSync hooks guarding what is deployed, and the SyncFail hooks if there are any. */
export function plannedHooks(desired: DesiredState, deploying: ReadonlySet<KeyString>): PlannedHook[] {
  const planned: PlannedHook[] = [];
  for (const phase of ['PreSync', 'PostSync'] as const) {
    for (const due of hooksDue(desired, phase, deploying)) {
      planned.push({ phase, task: keyString(due.task.key), guards: due.deploying });
    }
  }
  if (planned.length === 0) return planned;
  for (const task of hookTasks(desired, 'SyncFail')) {
    planned.push({ phase: 'SyncFail', task: keyString(task.key), guards: [] });
  }
  return planned;
}

const WHEN: Record<HookPhase, (guards: string) => string> = {
  PreSync: (guards) =>
    `runs before ${guards} and must exit 0 for ${guards.includes(',') ? 'them' : 'it'} to be updated`,
  PostSync: (guards) => `runs once ${guards} ${guards.includes(',') ? 'are' : 'is'} Healthy`,
  SyncFail: () => 'runs if a hook of this revision fails',
};

/** The text `diff` and `apply --dry-run` print under the plan (empty without hooks). */
export function hookPlanText(planned: readonly PlannedHook[]): string {
  if (planned.length === 0) return '';
  const width = Math.max(...planned.map((hook) => hook.task.length));
  const lines = planned.map(
    (hook) =>
      `  ${hook.phase.padEnd(8)} ${hook.task.padEnd(width)}  ${WHEN[hook.phase](hook.guards.join(', '))}`,
  );
  return `\nHooks (run and apply wait for each; a failed PreSync hook leaves its services as they are):\n${lines.join('\n')}\n`;
}
