// Tasks that run to completion. The emulator runs no containers, so a test or a demo says how a
// container ends through its environment (the task definition's or a RunTask containerOverride,
// which wins, as the override does on ECS):
//   EMULATOR_EXIT_CODE=N      the container exits with code N ...
//   EMULATOR_RUN_SECONDS=S    ... S emulated seconds after the task is RUNNING (default 5)
// An essential container that exits stops the task the way ECS reports it: stopCode
// EssentialContainerExited, stoppedReason "Essential container in task exited". Containers the
// stop then terminates exit 143 (SIGTERM). Without the variables a container runs until stopped.
import type { JsonObject, TaskRecord } from '../state.js';

export const EXIT_CODE_VARIABLE = 'EMULATOR_EXIT_CODE';
export const RUN_SECONDS_VARIABLE = 'EMULATOR_RUN_SECONDS';
const DEFAULT_RUN_SECONDS = 5;
/** 128 + SIGTERM: what a process that exits on the stop signal reports. */
export const TERMINATED_EXIT_CODE = 143;

export interface PlannedExit {
  readonly container: string;
  readonly exitCode: number;
  readonly afterMs: number;
  readonly essential: boolean;
}

function environmentOf(entries: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(entries)) return map;
  for (const entry of entries as JsonObject[]) {
    if (entry && typeof entry.name === 'string' && typeof entry.value === 'string') {
      map.set(entry.name, entry.value);
    }
  }
  return map;
}

function integerOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** The exits a new task's containers are told to make (definition environment, overrides win). */
export function plannedExits(definition: JsonObject, overrides: JsonObject | undefined): PlannedExit[] {
  const containers = (definition.containerDefinitions as JsonObject[] | undefined) ?? [];
  const containerOverrides = (overrides?.containerOverrides as JsonObject[] | undefined) ?? [];
  const exits: PlannedExit[] = [];
  for (const container of containers) {
    const name = String(container.name);
    const environment = environmentOf(container.environment);
    const override = containerOverrides.find((candidate) => candidate.name === name);
    for (const [key, value] of environmentOf(override?.environment)) environment.set(key, value);
    const exitCode = integerOf(environment.get(EXIT_CODE_VARIABLE));
    if (exitCode === undefined) continue;
    const seconds = numberOf(environment.get(RUN_SECONDS_VARIABLE)) ?? DEFAULT_RUN_SECONDS;
    exits.push({
      container: name,
      exitCode,
      afterMs: Math.max(1, Math.round(seconds * 1000)),
      essential: container.essential !== false,
    });
  }
  return exits;
}

function containerNamed(record: TaskRecord, name: string): JsonObject | undefined {
  return ((record.task.containers as JsonObject[] | undefined) ?? []).find((c) => c.name === name);
}

/** When the next planned exit of a RUNNING task is due (undefined: none left). */
export function nextExitAt(record: TaskRecord): number | undefined {
  if (record.runningAtMs === undefined) return undefined;
  const pending = (record.exits ?? []).filter(
    (exit) => containerNamed(record, exit.container)?.exitCode === undefined,
  );
  if (pending.length === 0) return undefined;
  return record.runningAtMs + Math.min(...pending.map((exit) => exit.afterMs));
}

export interface ExitOutcome {
  /** An essential container exited: the task must stop. */
  readonly essentialExited: boolean;
}

/** Applies the exits due at nowMs to the containers of a RUNNING task. */
export function applyDueExits(record: TaskRecord, nowMs: number): ExitOutcome {
  let essentialExited = false;
  for (const exit of record.exits ?? []) {
    const container = containerNamed(record, exit.container);
    if (!container || container.exitCode !== undefined) continue;
    if ((record.runningAtMs ?? nowMs) + exit.afterMs > nowMs) continue;
    container.lastStatus = 'STOPPED';
    container.exitCode = exit.exitCode;
    if (exit.essential) essentialExited = true;
  }
  return { essentialExited };
}

/** Containers still running when their task stops are terminated (SIGTERM). */
export function terminateRemaining(record: TaskRecord): void {
  if (record.runningAtMs === undefined) return;
  for (const container of (record.task.containers as JsonObject[] | undefined) ?? []) {
    if (container.exitCode === undefined) container.exitCode = TERMINATED_EXIT_CODE;
  }
}
