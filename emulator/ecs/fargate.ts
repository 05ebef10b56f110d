// Fargate task size rules and the unit conversions ECS applies to task-level cpu and memory.
import type { Json, JsonObject } from '../state.js';
import { clientException } from '../wire/errors.js';
import type { Input } from '../wire/input.js';

/** Valid memory (MiB) per task cpu (units), from the ECS developer guide's task size table. */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let value = from; value <= to; value += step) out.push(value);
  return out;
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
  return FARGATE_SIZES.get(cpu)?.includes(memory) ?? false;
}

/** "256", "0.25 vCPU", "1 vcpu" → "256"; undefined when not parseable. */
export function normalizeCpu(value: string): string | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return text;
  const match = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(text);
  if (!match) return undefined;
  return String(Math.round(Number(match[1]) * 1024));
}

/** "512", "0.5GB", "2 GB" → MiB as a string; undefined when not parseable. */
export function normalizeMemory(value: string): string | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return text;
  const match = /^(\d+(?:\.\d+)?)\s*gb$/i.exec(text);
  if (!match) return undefined;
  return String(Math.round(Number(match[1]) * 1024));
}

// Task definition features Fargate does not offer (ECS developer guide, "task definition
// differences for Fargate"). Messages confirmed against ECS: pidMode, ipcMode, sourcePath; the others
// follow the same "Fargate compatible task definitions do not support …" form.
const FARGATE_CAPABILITY = 'SYS_PTRACE';

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateFargateFeatures(input: Input, containers: readonly JsonObject[]): void {
  const pidMode = input.string('pidMode');
  if (pidMode !== undefined && pidMode !== 'task') {
    throw clientException(
      `Tasks using the Fargate launch type do not support pidMode '${pidMode}'. The supported value for pidMode is 'task'.`,
    );
  }
  if (input.string('ipcMode') !== undefined) {
    throw clientException('Tasks using the Fargate launch type do not support ipcMode.');
  }
  if ((input.objects('placementConstraints') ?? []).length > 0) {
    throw clientException('Fargate compatible task definitions do not support placementConstraints');
  }
  for (const volume of input.objects('volumes') ?? []) {
    if (volume.dockerVolumeConfiguration !== undefined && volume.dockerVolumeConfiguration !== null) {
      throw clientException('Fargate compatible task definitions do not support dockerVolumeConfiguration');
    }
    if (isObject(volume.host) && volume.host.sourcePath !== undefined && volume.host.sourcePath !== null) {
      throw clientException('Fargate compatible task definitions do not support sourcePath');
    }
  }
  for (const container of containers) {
    if (container.privileged === true) {
      throw clientException('Fargate compatible task definitions do not support privileged');
    }
    const linux = container.linuxParameters;
    if (!isObject(linux)) continue;
    if (Array.isArray(linux.devices) && linux.devices.length > 0) {
      throw clientException('Fargate compatible task definitions do not support devices');
    }
    const added = isObject(linux.capabilities) ? linux.capabilities.add : undefined;
    if (Array.isArray(added) && added.some((capability) => capability !== FARGATE_CAPABILITY)) {
      throw clientException(
        `Fargate compatible task definitions only support adding the ${FARGATE_CAPABILITY} kernel capability`,
      );
    }
  }
}
