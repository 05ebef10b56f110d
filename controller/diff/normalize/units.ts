// Task-level cpu and memory: ECS accepts "0.25 vCPU", "1 GB", "512" or numbers and returns
// plain strings of CPU units / MiB. Normalize both sides to that string, with the same parser the
// manifest loader uses; a value it does not understand is kept as given (and shows in the diff).
import { parseCpu, parseMemory } from '../../manifest/units.js';

/** "0.25 vCPU" → "256", "1 vcpu" → "1024", 512 → "512". */
export function normalizeTaskCpu(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const units = parseCpu(value);
  return units === undefined ? (typeof value === 'number' ? String(value) : value) : String(units);
}

/** "1 GB" → "1024", "0.5GB" → "512", "512 MiB" → "512", 2048 → "2048". */
export function normalizeTaskMemory(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const mib = parseMemory(value);
  return mib === undefined ? (typeof value === 'number' ? String(value) : value) : String(mib);
}
