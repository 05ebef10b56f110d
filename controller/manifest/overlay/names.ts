// namePrefix / nameSuffix and commonLabels / commonTags. Renaming a manifest renames the references
// to it inside the same rendering (a Service's cluster and taskDefinition, a ScalingPolicy's service),
// as Kustomize's name reference transformer does; a reference to something outside is left alone.
import type { SourceLocation } from '../../types.js';
import { escapePointer } from '../yaml-documents.js';
import type { Sourced } from './model.js';
import { isMapping } from './sourced.js';

/** Kinds whose spec carries `tags` (a ScalingPolicy has none in ECS). */
const TAGGED = new Set(['Cluster', 'TaskDefinition', 'Service', 'CapacityProvider', 'Task', 'ScheduledTask']);

/** Which spec field of which kind names a manifest of which kind. */
const REFERENCES: readonly { kind: string; field: string; to: string }[] = [
  { kind: 'Service', field: 'cluster', to: 'Cluster' },
  { kind: 'Service', field: 'taskDefinition', to: 'TaskDefinition' },
  { kind: 'ScalingPolicy', field: 'service', to: 'Service' },
];

export function identityOf(document: Sourced): { kind: string; name: string } | undefined {
  const value = document.value;
  if (!isMapping(value) || typeof value.kind !== 'string' || !isMapping(value.metadata)) return undefined;
  const name = value.metadata.name;
  return typeof name === 'string' ? { kind: value.kind, name } : undefined;
}

export function rename(documents: readonly Sourced[], prefix: string, suffix: string): void {
  if (!prefix && !suffix) return;
  const names = new Map<string, Set<string>>();
  for (const document of documents) {
    const identity = identityOf(document);
    if (!identity) continue;
    const set = names.get(identity.kind) ?? new Set<string>();
    set.add(identity.name);
    names.set(identity.kind, set);
  }
  for (const document of documents) {
    const identity = identityOf(document);
    if (!identity || !isMapping(document.value) || !isMapping(document.value.metadata)) continue;
    document.value.metadata.name = `${prefix}${identity.name}${suffix}`;
    const spec = document.value.spec;
    if (!isMapping(spec)) continue;
    for (const reference of REFERENCES) {
      if (reference.kind !== identity.kind) continue;
      const target = spec[reference.field];
      if (typeof target === 'string' && names.get(reference.to)?.has(target))
        spec[reference.field] = `${prefix}${target}${suffix}`;
    }
  }
}

export interface CommonEntries {
  readonly values: Readonly<Record<string, string>>;
  /** Where each entry was written. */
  readonly at: (key: string) => SourceLocation;
}

function setEntries(
  document: Sourced,
  holder: Record<string, unknown>,
  field: string,
  pointer: string,
  common: CommonEntries,
): void {
  const current = isMapping(holder[field]) ? (holder[field] as Record<string, unknown>) : {};
  if (!isMapping(holder[field]))
    document.origins.value.set(pointer, common.at(Object.keys(common.values)[0] ?? ''));
  for (const [key, value] of Object.entries(common.values)) {
    current[key] = value;
    const at = common.at(key);
    document.origins.value.set(`${pointer}/${escapePointer(key)}`, at);
    document.origins.key.set(`${pointer}/${escapePointer(key)}`, at);
  }
  holder[field] = current;
}

/** The overlay's entries win over a document's own: they are the environment's rule. */
export function applyCommon(documents: readonly Sourced[], labels: CommonEntries, tags: CommonEntries): void {
  for (const document of documents) {
    const value = document.value;
    if (!isMapping(value) || !isMapping(value.metadata)) continue;
    if (Object.keys(labels.values).length > 0)
      setEntries(document, value.metadata, 'labels', '/metadata/labels', labels);
    if (
      Object.keys(tags.values).length > 0 &&
      typeof value.kind === 'string' &&
      TAGGED.has(value.kind) &&
      isMapping(value.spec)
    )
      setEntries(document, value.spec, 'tags', '/spec/tags', tags);
  }
}
