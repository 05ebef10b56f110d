// What the shared HTTP server shows for several targets: one status snapshot (every resource with its
// target, counts summed, ready only when every target is) and one Prometheus exposition (each
// target's registry carries its `target` label; families of the same name are merged). Pure.
import type { StatusSnapshot } from '../status/model.js';

export interface TargetSnapshot {
  readonly target: string;
  readonly snapshot: StatusSnapshot;
}

export type CombinedSnapshot = StatusSnapshot & {
  readonly targets: ReadonlyArray<{ readonly name: string; readonly overall: StatusSnapshot['overall'] }>;
};

function sum(into: Record<string, number>, from: Readonly<Partial<Record<string, number>>>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + (value ?? 0);
}

export function combineSnapshots(parts: readonly TargetSnapshot[]): CombinedSnapshot {
  const first = parts[0]?.snapshot.overall;
  if (!first) throw new Error('no targets');
  const sync: Record<string, number> = {};
  const health: Record<string, number> = {};
  for (const part of parts) {
    sum(sync, part.snapshot.overall.counts.sync);
    sum(health, part.snapshot.overall.counts.health);
  }
  return {
    overall: {
      ...first,
      counts: { sync, health },
      ready: parts.every((part) => part.snapshot.overall.ready),
    },
    resources: parts.flatMap((part) =>
      part.snapshot.resources.map((resource) => ({ ...resource, target: part.target })),
    ),
    targets: parts.map((part) => ({ name: part.target, overall: part.snapshot.overall })),
  };
}

/** Merges Prometheus text expositions: one HELP/TYPE per family, every family's samples together. */
export function mergeExpositions(texts: readonly string[]): string {
  const families = new Map<string, { header: string[]; samples: string[] }>();
  for (const text of texts) {
    let current: { header: string[]; samples: string[] } | undefined;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const header = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (header?.[2]) {
        const name = header[2];
        current = families.get(name);
        if (!current) {
          current = { header: [], samples: [] };
          families.set(name, current);
        }
        if (!current.header.some((existing) => existing.startsWith(`# ${header[1]} `)))
          current.header.push(line);
        continue;
      }
      current?.samples.push(line);
    }
  }
  return `${[...families.values()].map((family) => [...family.header, ...family.samples].join('\n')).join('\n\n')}\n`;
}
