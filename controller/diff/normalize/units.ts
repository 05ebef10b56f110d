// Task-level cpu and memory: ECS accepts "0.25 vCPU", "1 GB", "512" or numbers and returns
// plain strings of CPU units / MiB. Normalize both sides to that string.

const CPU = /^\s*(\d+(?:\.\d+)?)\s*(vcpus?|cpus?)?\s*$/i;
const MEMORY = /^\s*(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)?\s*$/i;

/** "0.25 vCPU" → "256", "1 vcpu" → "1024", 512 → "512". Unparseable values are kept as given. */
export function normalizeTaskCpu(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value;
  const match = CPU.exec(value);
  if (!match) return value;
  const amount = Number(match[1]);
  return String(match[2] ? Math.round(amount * 1024) : amount);
}

/** "1 GB" → "1024", "0.5GB" → "512", "512 MiB" → "512", 2048 → "2048". */
export function normalizeTaskMemory(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value;
  const match = MEMORY.exec(value);
  if (!match) return value;
  const amount = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  return String(unit === 'gb' || unit === 'gib' ? Math.round(amount * 1024) : amount);
}
