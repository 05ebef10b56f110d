// StatusSnapshot ⇄ the files of the status branch: `status/<Kind>/<name>.yaml` per resource and
// `status/summary.yaml`. Pure. Also decides whether two versions differ in anything but timestamps.
import { createHash } from 'node:crypto';
import { dump, load } from 'js-yaml';
import { KINDS, type Kind } from '../types.js';
import type { OverallStatus, ResourceStatus, StatusSnapshot } from './model.js';
import { compareResources, countStates } from './store.js';

export const SUMMARY_FILE = 'status/summary.yaml';

/**
 * Fields that move on every pass without anything having happened. A status commit is made only
 * when something else changed, so the branch history reads as a log of real events.
 */
export const VOLATILE_FIELDS: ReadonlySet<string> = new Set([
  'observedAt',
  'lastTransitionTime',
  'lastFetchAt',
  'startedAt',
  'durationMs',
  'at',
  'generatedAt',
  // The fingerprint summarizes the rest; comparing it as content would be circular.
  'fingerprint',
]);

/** File names are the resource names; anything outside ECS's name alphabet is percent-encoded. */
export function statusFilePath(kind: Kind, name: string): string {
  const safe = name.replace(
    /[^A-Za-z0-9_.-]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `status/${kind}/${safe.startsWith('.') ? `%2E${safe.slice(1)}` : safe}.yaml`;
}

function toYaml(value: unknown, heading: string): string {
  // JSON round trip: drops undefined fields and turns Dates into ISO strings.
  const plain = JSON.parse(JSON.stringify(value)) as unknown;
  return `# ${heading}\n# Written by ecs-gitops; edits are overwritten.\n${dump(plain, { noRefs: true, lineWidth: 120 })}`;
}

export interface SummaryFile extends OverallStatus {
  /** sha256 of every file's content minus volatile fields: equal fingerprints mean "nothing to commit". */
  readonly fingerprint?: string;
  readonly resources: ReadonlyArray<
    Pick<ResourceStatus, 'key' | 'sync' | 'health' | 'lastAppliedRevision'> & { readonly file: string }
  >;
}

/** Path → the plain object each file holds (before YAML). */
function statusObjects(snapshot: StatusSnapshot): Map<string, object> {
  const objects = new Map<string, object>();
  const resources = [...snapshot.resources].sort(compareResources);
  for (const resource of resources) objects.set(statusFilePath(resource.kind, resource.name), resource);
  const summary: SummaryFile = {
    ...snapshot.overall,
    resources: resources.map((r) => ({
      key: r.key,
      sync: r.sync,
      health: r.health,
      ...(r.lastAppliedRevision ? { lastAppliedRevision: r.lastAppliedRevision } : {}),
      file: statusFilePath(r.kind, r.name),
    })),
  };
  objects.set(SUMMARY_FILE, summary);
  return objects;
}

/** What the status branch would hold, minus timestamps, as one hash (cheap: no YAML involved). */
export function statusFingerprint(snapshot: StatusSnapshot): string {
  const hash = createHash('sha256');
  for (const [path, object] of [...statusObjects(snapshot)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${path}\n${JSON.stringify(stripVolatile(JSON.parse(JSON.stringify(object))))}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Reads the fingerprint line of a summary.yaml without parsing the YAML. */
export function summaryFingerprint(text: string): string | undefined {
  return /^fingerprint: '?(sha256:[0-9a-f]{64})'?$/m.exec(text)?.[1];
}

/** Path → YAML text for every file of the status branch. */
export function renderStatusFiles(snapshot: StatusSnapshot): Map<string, string> {
  const files = new Map<string, string>();
  const instance = snapshot.overall.instance;
  for (const [path, object] of statusObjects(snapshot)) {
    if (path === SUMMARY_FILE) {
      const summary = { fingerprint: statusFingerprint(snapshot), ...object };
      files.set(path, toYaml(summary, `Status of ecs-gitops instance ${instance}`));
    } else {
      const resource = object as ResourceStatus;
      files.set(path, toYaml(resource, `Status of ${resource.key} (instance ${instance})`));
    }
  }
  return files;
}

function stripVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripVolatile);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !VOLATILE_FIELDS.has(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, stripVolatile(inner)] as const);
    return Object.fromEntries(entries);
  }
  return value;
}

/** The part of a status file that matters: parsed, timestamps removed, keys sorted. */
export function comparableContent(text: string): string {
  try {
    return JSON.stringify(stripVolatile(load(text)));
  } catch {
    return `unparsable:${text}`;
  }
}

/** True when the two file sets differ in anything other than volatile timestamps. */
export function differsBeyondTimestamps(
  previous: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, string>,
): boolean {
  if (previous.size !== next.size) return true;
  for (const [path, text] of next) {
    const old = previous.get(path);
    if (old === undefined || comparableContent(old) !== comparableContent(text)) return true;
  }
  return false;
}

/** Rebuilds a StatusSnapshot from the files of a status branch (the `status` command reads it). */
export function parseStatusFiles(files: ReadonlyMap<string, string>): StatusSnapshot {
  const summaryText = files.get(SUMMARY_FILE);
  if (summaryText === undefined) throw new Error(`${SUMMARY_FILE} is missing`);
  const { resources: _list, fingerprint: _fingerprint, ...overall } = load(summaryText) as SummaryFile;
  const resources: ResourceStatus[] = [];
  for (const [path, text] of files) {
    const match = /^status\/([A-Za-z]+)\/[^/]+\.yaml$/.exec(path);
    if (!match || !(KINDS as readonly string[]).includes(match[1] ?? '')) continue;
    resources.push(load(text) as ResourceStatus);
  }
  resources.sort(compareResources);
  return {
    overall: { ...overall, counts: overall.counts ?? countStates(resources) } as OverallStatus,
    resources,
  };
}
