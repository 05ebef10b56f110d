// Rules of the Task kind the schema cannot express: its hook annotations (docs/tasks.md).
import { ANNOTATIONS } from '../types.js';
import type { Loaded, ProblemSink } from './loaded.js';
import type { HookPhase, TaskHook } from './model.js';

/** Default time a hook run may take before it is stopped and counts as failed. */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 30 * 60;
const MAX_HOOK_TIMEOUT_SECONDS = 24 * 60 * 60;
const DURATION = /^(\d+)(s|m|h)?$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

const pointer = (key: string) => `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** `600`, `600s`, `10m`, `1h` → seconds; undefined when it is none of these. */
export function parseHookTimeout(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's']!;
}

export function checkTask(task: Loaded<'Task'>, sink: ProblemSink): void {
  const annotations = task.metadata.annotations ?? {};
  const hook = annotations[ANNOTATIONS.hook];
  for (const key of [ANNOTATIONS.hookFor, ANNOTATIONS.hookTimeout]) {
    if (annotations[key] !== undefined && hook === undefined) {
      sink.add(task, pointer(key), `${key} needs ${ANNOTATIONS.hook} (PreSync, PostSync or SyncFail)`, 'key');
    }
  }
  const timeout = annotations[ANNOTATIONS.hookTimeout];
  if (timeout !== undefined) {
    const seconds = parseHookTimeout(timeout);
    if (seconds === undefined || seconds < 1 || seconds > MAX_HOOK_TIMEOUT_SECONDS) {
      sink.add(
        task,
        pointer(ANNOTATIONS.hookTimeout),
        `invalid hook timeout ${JSON.stringify(timeout)}; use seconds or a duration like 90s, 10m, 2h (at most 24h)`,
      );
    }
  }
  const count = task.spec.count ?? 1;
  if (hook !== undefined && count > 1) {
    // Several copies of a migration racing each other is rarely intended; allowed, but said.
    sink.warn(task, '/spec/count', `a ${hook} hook runs ${count} tasks at once; every one must exit 0`);
  }
}

/** The hook a valid Task's annotations describe, if any. */
export function hookOf(task: Loaded<'Task'>): TaskHook | undefined {
  const annotations = task.metadata.annotations ?? {};
  const phase = annotations[ANNOTATIONS.hook] as HookPhase | undefined;
  if (phase === undefined) return undefined;
  const guards = annotations[ANNOTATIONS.hookFor];
  const timeout = annotations[ANNOTATIONS.hookTimeout];
  return {
    phase,
    ...(guards === undefined
      ? {}
      : { for: guards.split(',').map((part) => part.trim().replace(/^Service\//, '')) }),
    timeoutSeconds:
      (timeout === undefined ? undefined : parseHookTimeout(timeout)) ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
  };
}
