// Task-level cpu and memory in the forms ECS accepts: "256" / 256 CPU units or "0.25 vCPU";
// "512" / 512 MiB or "1 GB" / "1GB" / "512 MiB". ECS stores and returns the plain-number strings.

/** CPU units (1024 per vCPU), or undefined when the text is not a CPU amount. */
export function parseCpu(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = /^\s*(\d*\.?\d+)\s*(vcpus?)?\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const units = match[2] ? amount * 1024 : amount;
  return Number.isInteger(units) && units > 0 ? units : undefined;
}

/** MiB, or undefined when the text is not a memory amount. ECS treats GB as GiB (1 GB = 1024 MiB). */
export function parseMemory(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = /^\s*(\d*\.?\d+)\s*(gb|gib|mb|mib)?\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2]?.toLowerCase();
  const mib = unit === 'gb' || unit === 'gib' ? amount * 1024 : amount;
  return Number.isInteger(mib) && mib > 0 ? mib : undefined;
}

/** Task memory (MiB) Fargate accepts for a task CPU value, per the ECS developer guide's table. */
export function fargateMemoryOptions(cpu: number): readonly number[] | undefined {
  const range = (from: number, to: number, step: number) =>
    Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
  switch (cpu) {
    case 256:
      return [512, 1024, 2048];
    case 512:
      return range(1024, 4096, 1024);
    case 1024:
      return range(2048, 8192, 1024);
    case 2048:
      return range(4096, 16384, 1024);
    case 4096:
      return range(8192, 30720, 1024);
    case 8192:
      return range(16384, 61440, 4096);
    case 16384:
      return range(32768, 122880, 8192);
    default:
      return undefined;
  }
}

export const FARGATE_CPU_VALUES = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

function describeMemoryOptions(options: readonly number[]): string {
  if (options.length <= 4) return options.map((mib) => `${mib}`).join(', ');
  const step = (options[1] ?? 0) - (options[0] ?? 0);
  return `${options[0]}–${options[options.length - 1]} in steps of ${step}`;
}

/** ECS's rule for a Fargate task's cpu/memory pair, in plain words; undefined when valid. */
export function fargatePairProblem(cpu: number, memory: number): string | undefined {
  const options = fargateMemoryOptions(cpu);
  if (!options) {
    return `Fargate does not support task cpu ${cpu}; use one of ${FARGATE_CPU_VALUES.join(', ')} (0.25–16 vCPU)`;
  }
  if (options.includes(memory)) return undefined;
  return `Fargate does not support cpu ${cpu} with memory ${memory} MiB; with cpu ${cpu} memory must be ${describeMemoryOptions(options)} MiB`;
}
