// Fargate task size rules and the unit conversions ECS applies to task-level cpu and memory.

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
