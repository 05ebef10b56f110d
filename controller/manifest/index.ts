// The manifest loader: files of one revision → a validated, reference-resolved DesiredState, or every
// problem with file:line:col. Pure: no I/O, no AWS SDK; the caller reads the files (source/read-folder).
import type { ManifestProblem } from '../errors.js';
import { API_VERSION, KINDS, type Kind } from '../types.js';
import { parseAnnotations } from './annotations.js';
import { type GatePolicy, gatePolicy, withGate } from './approval-gate.js';
import { problemAt } from './document-problems.js';
import { type Loaded, type LoadedAny, ProblemSink } from './loaded.js';
import type {
  DesiredCapacityProvider,
  DesiredCluster,
  DesiredResource,
  DesiredScalingPolicy,
  DesiredScheduledTask,
  DesiredService,
  DesiredTask,
  DesiredTaskDefinition,
  ManifestFile,
  ManifestResult,
  Metadata,
} from './model.js';
import { OVERLAY_FILE, OVERLAY_KIND } from './overlay/model.js';
import type { ManifestParseCache } from './parse-cache.js';
import { firstProblems, sortProblems } from './problem-list.js';
import {
  clusterNameOf,
  familyOf,
  type Manifests,
  providerNameOf,
  resolveReferences,
  serviceNameOf,
} from './references.js';
import { checkCapacityProvider, checkCluster, checkScalingPolicy, checkService } from './resource-rules.js';
import { checkScheduledTask } from './scheduled-task-rules.js';
import { validateSchema } from './schema-validate.js';
import type { ScalingPolicySpec, TargetTrackingPolicy } from './spec-types.js';
import { didYouMean } from './suggest.js';
import { checkTaskDefinition } from './task-definition-rules.js';
import { checkTask, hookOf } from './task-rules.js';
import { parseCpu, parseMemory } from './units.js';
import { LIMITS, type ParsedFile, parseYamlFile, type YamlDocument } from './yaml-documents.js';

export type { ManifestFile, ManifestResult } from './model.js';
export { ManifestParseCache } from './parse-cache.js';
export {
  describeProblemCount,
  firstProblems,
  type ProblemList,
  sortProblems,
} from './problem-list.js';
export { LIMITS } from './yaml-documents.js';

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `null` in a mapping means "not set" (an empty `field:` in YAML, `"ulimits": null` in JSON pasted from
 * the console), as in Kubernetes. Removed before validation so it validates like an absent field.
 * What holds no null is given back as it is, so the desired state shares the parsed (frozen)
 * documents instead of holding a second copy of every manifest.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const item = withoutNulls(value[i]);
      if (item !== value[i]) {
        copy ??= [...value];
        copy[i] = item;
      }
    }
    return copy ?? value;
  }
  if (!isMapping(value)) return value;
  const entries = Object.entries(value);
  const fields = entries.map(([, field]) => (field === null ? field : withoutNulls(field)));
  if (entries.every(([, field], i) => field !== null && fields[i] === field)) return value;
  const copy: Record<string, unknown> = {};
  entries.forEach(([key, field], i) => {
    // defineProperty, so a `__proto__` key stays a plain (and then unknown) field
    if (field !== null)
      Object.defineProperty(copy, key, {
        value: fields[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
  });
  return copy;
}

/**
 * Documents are shared by every revision that has their file (the parse cache) and by the desired
 * states built from them: frozen, so nothing downstream can change what a later revision reads.
 */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const field of Object.values(value)) deepFreeze(field);
}

function parseFrozen(path: string, content: Buffer | string): ParsedFile {
  const parsed = parseYamlFile(path, content);
  for (const document of parsed.documents) deepFreeze(document.value);
  return parsed;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

/** Envelope + schema. Returns the typed document, or undefined after reporting why not. */
function loadDocument(
  document: YamlDocument,
  problems: ManifestProblem[],
  invalid: Set<string>,
): LoadedAny | undefined {
  const value = withoutNulls(document.value);
  if (!isMapping(value)) {
    problems.push(
      problemAt(
        document,
        '',
        `a manifest must be a mapping with apiVersion, kind, metadata and spec, got ${describeValue(value)}`,
      ),
    );
    return undefined;
  }
  const metadata = isMapping(value.metadata) ? value.metadata : undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  const kind = value.kind;
  if (kind === OVERLAY_KIND) {
    problems.push(
      problemAt(
        document,
        '/kind',
        `an Overlay is read only as ${OVERLAY_FILE} at the top of the folder being loaded; load that folder itself (--dir / validate / render ${document.file.replace(/\/?[^/]*$/, '') || '.'})`,
      ),
    );
    return undefined;
  }
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const message =
      kind === undefined
        ? `missing required field "kind" (one of ${KINDS.join(', ')})`
        : `unknown kind ${JSON.stringify(kind)}${typeof kind === 'string' ? didYouMean(kind, KINDS) : ''}; expected one of ${KINDS.join(', ')}`;
    problems.push(problemAt(document, kind === undefined ? '' : '/kind', message));
    if (value.apiVersion !== API_VERSION) {
      problems.push(
        problemAt(
          document,
          '/apiVersion',
          `unsupported apiVersion ${JSON.stringify(value.apiVersion)}; expected "${API_VERSION}"`,
        ),
      );
    }
    return undefined;
  }
  const label = `${kind}/${name ?? '?'}`;
  const issues = validateSchema(kind as Kind, value);
  for (const issue of issues) {
    problems.push(problemAt(document, issue.pointer, issue.message, { resource: label, at: issue.at }));
  }
  if (issues.length > 0) {
    if (name) invalid.add(label);
    return undefined;
  }
  return {
    kind,
    name: name as string,
    label,
    // The document passed its kind's JSON Schema above, which is what Metadata is generated from.
    metadata: metadata as unknown as Metadata,
    spec: value.spec,
    document,
  } as LoadedAny;
}

function withoutKeys<T extends object>(value: T, keys: readonly string[]): T {
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!keys.includes(key)) copy[key] = field;
  return copy as T;
}

function expandTargetTracking(policy: TargetTrackingPolicy): TargetTrackingPolicy {
  if (policy.predefinedMetricType === undefined) return policy;
  const { predefinedMetricType, ...rest } = policy;
  return { ...rest, predefinedMetricSpecification: { predefinedMetricType } };
}

/**
 * Parses, validates (schema + semantics) and resolves one revision's manifests. Never throws on bad
 * input: every problem comes back as data, positioned at its file, line and column.
 */
export function parseManifests(
  files: readonly ManifestFile[],
  options: { revision: string; cache?: ManifestParseCache },
): ManifestResult {
  const problems: ManifestProblem[] = [];
  const documents: YamlDocument[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const cache = options.cache;
  cache?.begin();
  for (const file of sorted) {
    const parse = () => parseFrozen(file.path, file.content);
    const parsed = cache ? cache.get(file.path, file.content, parse) : parse();
    problems.push(...parsed.problems);
    documents.push(...parsed.documents);
    if (documents.length > LIMITS.maxDocumentsPerRevision) {
      // The rest is not even parsed: the revision is rejected whatever it holds.
      problems.push({
        location: { file: file.path, line: 1, column: 1 },
        message: `the revision has more than ${LIMITS.maxDocumentsPerRevision} documents (the limit per revision), counting up to this file; rejected`,
      });
      return { ok: false, ...firstProblems(problems), warnings: [] };
    }
  }
  cache?.commit();
  return loadDocuments(documents, problems, { revision: options.revision });
}

/**
 * The same checks for documents that are already parsed: those of files, or those an overlay rendered
 * (whose nodes carry the file:line:col where each value was written). `problems` are the parse problems
 * found so far; any of them rejects the revision.
 */
export function loadDocuments(
  documents: readonly YamlDocument[],
  parseProblems: readonly ManifestProblem[],
  options: { revision: string },
): ManifestResult {
  const problems: ManifestProblem[] = [...parseProblems];
  const sink = new ProblemSink();
  const loaded: LoadedAny[] = [];
  // Kind/name of documents that failed their schema: references to them are not reported again.
  const invalid = new Set<string>();
  for (const document of documents) {
    const item = loadDocument(document, problems, invalid);
    if (item) loaded.push(item);
  }

  // kind/name must be unique; later duplicates are reported against the first.
  const byKind = {
    CapacityProvider: new Map<string, Loaded<'CapacityProvider'>>(),
    Cluster: new Map<string, Loaded<'Cluster'>>(),
    TaskDefinition: new Map<string, Loaded<'TaskDefinition'>>(),
    Service: new Map<string, Loaded<'Service'>>(),
    ScalingPolicy: new Map<string, Loaded<'ScalingPolicy'>>(),
    ScheduledTask: new Map<string, Loaded<'ScheduledTask'>>(),
    Task: new Map<string, Loaded<'Task'>>(),
  };
  const unique: LoadedAny[] = [];
  for (const item of loaded) {
    const map = byKind[item.kind] as Map<string, LoadedAny>;
    const first = map.get(item.name);
    if (first) {
      const where = problemAt(first.document, '/metadata/name', '').location;
      sink.add(
        item,
        '/metadata/name',
        `duplicate ${item.label}: already defined at ${where.file}:${where.line}:${where.column}`,
      );
      continue;
    }
    map.set(item.name, item);
    unique.push(item);
  }

  const policies = new Map<string, ReturnType<typeof parseAnnotations>['policy']>();
  const gates = new Map<string, GatePolicy>();
  for (const item of unique) {
    const { policy, issues } = parseAnnotations(item.kind, item.metadata.annotations);
    for (const issue of issues) {
      sink.add(
        item,
        `/metadata/annotations/${issue.key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        issue.message,
        issue.at,
      );
    }
    policies.set(`${item.kind}/${item.name}`, policy);
    switch (item.kind) {
      case 'CapacityProvider':
        checkCapacityProvider(item, sink);
        break;
      case 'Cluster':
        checkCluster(item, sink);
        break;
      case 'TaskDefinition':
        checkTaskDefinition(item, sink);
        break;
      case 'Service': {
        checkService(item, sink);
        const { gate, problems: gateProblems } = gatePolicy(item.metadata.annotations, item.spec);
        for (const problem of gateProblems) {
          sink.add(
            item,
            `/metadata/annotations/${problem.key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
            problem.message,
            'value',
          );
        }
        if (gate) gates.set(item.name, gate);
        break;
      }
      case 'ScalingPolicy':
        checkScalingPolicy(item, sink);
        break;
      case 'Task':
        checkTask(item, sink);
        break;
      case 'ScheduledTask':
        checkScheduledTask(item, sink);
        break;
    }
  }

  const manifests: Manifests = {
    capacityProviders: byKind.CapacityProvider,
    clusters: byKind.Cluster,
    taskDefinitions: byKind.TaskDefinition,
    services: byKind.Service,
    scalingPolicies: byKind.ScalingPolicy,
    tasks: byKind.Task,
    scheduledTasks: byKind.ScheduledTask,
    invalid,
  };
  const resolved = resolveReferences(manifests, sink);
  problems.push(...sink.problems);
  const warnings = sortProblems(sink.warnings);
  if (problems.length > 0) return { ok: false, ...firstProblems(problems), warnings };

  const resources: DesiredResource[] = [];
  for (const item of unique) {
    const base = {
      name: item.name,
      metadata: item.metadata,
      policy: policies.get(`${item.kind}/${item.name}`)!,
      source: {
        ...problemAt(item.document, '', '').location,
        documentIndex: item.document.index,
      },
    };
    switch (item.kind) {
      case 'CapacityProvider': {
        const providerName = providerNameOf(item);
        const owner = resolved.providerClusters.get(item.name);
        const provider: DesiredCapacityProvider = {
          ...base,
          kind: 'CapacityProvider',
          key: { kind: 'CapacityProvider', name: item.name },
          providerName,
          ...(owner ? { clusterName: owner.clusterName } : {}),
          spec: {
            ...withoutKeys(item.spec, ['tags', 'cluster']),
            name: providerName,
            ...(owner ? { cluster: owner.clusterName } : {}),
          },
          tags: item.spec.tags ?? {},
        };
        resources.push(provider);
        break;
      }
      case 'Cluster': {
        const clusterName = clusterNameOf(item);
        const spec = { ...withoutKeys(item.spec, ['tags']), clusterName };
        // Names of CapacityProvider manifests become their provider names in ECS.
        const awsName = (name: string) => {
          const manifest = byKind.CapacityProvider.get(name);
          return manifest ? providerNameOf(manifest) : name;
        };
        if (spec.capacityProviders) spec.capacityProviders = spec.capacityProviders.map(awsName);
        if (spec.defaultCapacityProviderStrategy) {
          spec.defaultCapacityProviderStrategy = spec.defaultCapacityProviderStrategy.map((entry) => ({
            ...entry,
            capacityProvider: awsName(entry.capacityProvider),
          }));
        }
        const cluster: DesiredCluster = {
          ...base,
          kind: 'Cluster',
          key: { kind: 'Cluster', name: item.name },
          clusterName,
          spec,
          tags: item.spec.tags ?? {},
        };
        resources.push(cluster);
        break;
      }
      case 'TaskDefinition': {
        const family = familyOf(item);
        const spec = { ...withoutKeys(item.spec, ['tags', 'revisionHistoryLimit']), family };
        const cpu = item.spec.cpu === undefined ? undefined : parseCpu(item.spec.cpu);
        const memory = item.spec.memory === undefined ? undefined : parseMemory(item.spec.memory);
        if (cpu !== undefined) spec.cpu = String(cpu);
        if (memory !== undefined) spec.memory = String(memory);
        const taskDefinition: DesiredTaskDefinition = {
          ...base,
          kind: 'TaskDefinition',
          key: { kind: 'TaskDefinition', name: item.name },
          family,
          revisionHistoryLimit: item.spec.revisionHistoryLimit ?? 10,
          spec,
          tags: item.spec.tags ?? {},
        };
        resources.push(taskDefinition);
        break;
      }
      case 'Service': {
        const service: DesiredService = {
          ...base,
          kind: 'Service',
          key: { kind: 'Service', name: item.name },
          serviceName: serviceNameOf(item),
          cluster: resolved.clusterRefs.get(item.name)!,
          taskDefinition: resolved.taskDefinitionRefs.get(item.name)!,
          autoscaled: resolved.autoscaled.has(item.name),
          spec: withGate(
            withoutKeys(item.spec, ['serviceName', 'cluster', 'taskDefinition', 'tags']),
            gates.get(item.name),
          ),
          ...(gates.get(item.name) ? { gate: gates.get(item.name)! } : {}),
          tags: item.spec.tags ?? {},
        };
        resources.push(service);
        break;
      }
      case 'ScalingPolicy': {
        const target = resolved.policyTargets.get(item.name)!;
        const clusterName = resolved.clusterRefs.get(target.name)!.clusterName;
        const awsServiceName = serviceNameOf(target);
        const spec: ScalingPolicySpec = {
          ...item.spec,
          ...(item.spec.targetTracking
            ? { targetTracking: item.spec.targetTracking.map(expandTargetTracking) }
            : {}),
        };
        const policy: DesiredScalingPolicy = {
          ...base,
          kind: 'ScalingPolicy',
          key: { kind: 'ScalingPolicy', name: item.name },
          serviceName: target.name,
          awsServiceName,
          clusterName,
          resourceId: `service/${clusterName}/${awsServiceName}`,
          spec,
        };
        resources.push(policy);
        break;
      }
      case 'ScheduledTask': {
        const refs = resolved.scheduledTaskRefs.get(item.name)!;
        const scheduled: DesiredScheduledTask = {
          ...base,
          kind: 'ScheduledTask',
          key: { kind: 'ScheduledTask', name: item.name },
          scheduleName: item.spec.scheduleName ?? item.name,
          cluster: refs.cluster,
          taskDefinition: refs.taskDefinition,
          spec: item.spec,
        };
        resources.push(scheduled);
        break;
      }
      case 'Task': {
        const hook = hookOf(item);
        const task: DesiredTask = {
          ...base,
          kind: 'Task',
          key: { kind: 'Task', name: item.name },
          cluster: resolved.taskRefs.get(item.name)!.cluster,
          taskDefinition: resolved.taskRefs.get(item.name)!.taskDefinition,
          ...(hook ? { hook } : {}),
          spec: withoutKeys(item.spec, ['cluster', 'taskDefinition', 'tags']),
          tags: item.spec.tags ?? {},
        };
        resources.push(task);
        break;
      }
    }
  }
  const order = (kind: Kind) => KINDS.indexOf(kind);
  resources.sort((a, b) => order(a.kind) - order(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ok: true, desired: { revision: options.revision, resources }, warnings };
}
