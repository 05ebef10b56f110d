// import/: pure rendering of a live ECS estate into manifests. One file per cluster and one per
// service (its TaskDefinition, the Service, its ScalingPolicy), minimal (the diff's defaults table),
// keys in API order, references by manifest name, tags as maps, adoption annotations where the
// resource is nobody else's. Reading the estate is live/estate.ts; writing files is cli/import.ts.
import { dump } from 'js-yaml';
import { clusterNameOfArn, targetTagsToMap } from '../aws-model/schedules.js';
import { comparableTags, tagsToMap } from '../aws-model/tags.js';
import { parseTaskDefinitionRef, shortTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import { asObject, dropAbsent, type PlainObject } from '../diff/normalize/values.js';
import type { Estate, EstateService } from '../live/estate.js';
import { ANNOTATIONS, API_VERSION, type Kind, keyString } from '../types.js';
import { importClusterSpec } from './cluster.js';
import { orderDocument } from './key-order.js';
import type { ImportedFile, ImportOptions, ImportResult, ImportWarning } from './model.js';
import { SCHEMA_URL } from './model.js';
import { NameAllocator } from './names.js';
import { describeOwner, ownershipOf } from './owners.js';
import { importScalingPolicySpec } from './scaling-policy.js';
import { importScheduledTaskSpec, isEcsSchedule } from './scheduled-task.js';
import { secretLookingEnvironment } from './secrets.js';
import { importServiceSpec } from './service.js';
import { importTaskDefinitionSpec } from './task-definition.js';

export type { ImportedFile, ImportOptions, ImportResult, ImportWarning } from './model.js';
export { verifyImport } from './verify.js';

interface Document {
  readonly kind: Kind;
  readonly name: string;
  readonly arn: string;
  readonly body: PlainObject;
}

function document(
  kind: Kind,
  name: string,
  arn: string,
  spec: PlainObject,
  annotations: Record<string, string>,
): Document {
  const all: Record<string, string> = { ...annotations };
  let body = spec;
  // The prune protection is recorded on the resource as a tag; in Git it is the annotation again.
  const tags = spec.tags as Record<string, string> | undefined;
  if (tags?.[ANNOTATIONS.prune] === 'disabled') {
    const { [ANNOTATIONS.prune]: _prune, ...rest } = tags;
    all[ANNOTATIONS.prune] = 'disabled';
    body = { ...spec, tags: Object.keys(rest).length > 0 ? rest : undefined };
  }
  const metadata: PlainObject = { name };
  if (Object.keys(all).length > 0) metadata.annotations = all;
  return {
    kind,
    name,
    arn,
    body: orderDocument(kind, { apiVersion: API_VERSION, kind, metadata, spec: asObject(dropAbsent(body)) }),
  };
}

function withTags(spec: PlainObject, tags: unknown): PlainObject {
  const map = comparableTags(tags);
  return Object.keys(map).length > 0 ? { ...spec, tags: map } : spec;
}

function renderFile(
  path: string,
  arn: string,
  documents: readonly Document[],
  options: ImportOptions,
): ImportedFile {
  const schema = options.schemaRef?.(path) ?? SCHEMA_URL;
  const header = [`# yaml-language-server: $schema=${schema}`, `# Imported by ecs-gitops import from ${arn}`];
  const parts = documents.map((doc) => {
    const yaml = dump(doc.body, { lineWidth: -1, noRefs: true, quoteStyle: 'double' });
    return documents.length > 1 ? `# ${doc.kind} from ${doc.arn}\n${yaml}` : yaml;
  });
  return {
    path,
    content: `${header.join('\n')}\n${parts.join('---\n')}`,
    resources: documents.map((doc) => keyString({ kind: doc.kind, name: doc.name })),
  };
}

interface ServiceSlot {
  readonly clusterName: string;
  readonly clusterManifest: string;
  readonly entry: EstateService;
  readonly name: string;
  readonly fileName: string;
}

/** Decides which revision of each family becomes its TaskDefinition manifest: the newest one a service runs. */
function taskDefinitionOwners(slots: readonly ServiceSlot[]): Map<string, ServiceSlot> {
  const owners = new Map<string, ServiceSlot>();
  for (const slot of slots) {
    const arn = slot.entry.taskDefinition
      ? String(slot.entry.taskDefinition.taskDefinition.taskDefinitionArn)
      : '';
    if (!arn) continue;
    const { family, revision = 0 } = parseTaskDefinitionRef(arn);
    const current = owners.get(family);
    const currentRevision = current
      ? (parseTaskDefinitionRef(String(current.entry.taskDefinition?.taskDefinition.taskDefinitionArn))
          .revision ?? 0)
      : -1;
    if (revision > currentRevision) owners.set(family, slot);
  }
  return owners;
}

export function renderImport(estate: Estate, options: ImportOptions): ImportResult {
  const warnings: ImportWarning[] = [];
  const files: ImportedFile[] = [];
  const clusterNames = new NameAllocator();
  const serviceNames = new NameAllocator();
  const familyNames = new NameAllocator();

  const adoption = (tags: unknown, resource: string, file: string): Record<string, string> => {
    const ownership = ownershipOf(tagsToMap(tags), options.instance);
    if (ownership.kind === 'ours') return {};
    if (ownership.kind === 'foreign') {
      const owner = describeOwner(ownership.owner);
      if (!options.adoptOwned) {
        warnings.push({
          file,
          resource,
          message: `managed by ${owner}: imported without ${ANNOTATIONS.adopt}, so the controller leaves it alone (hand it over first, then add the annotation, or import with --adopt-owned)`,
        });
        return {};
      }
      warnings.push({ file, resource, message: `managed by ${owner}: adopted anyway (--adopt-owned)` });
    }
    return { [ANNOTATIONS.adopt]: 'true' };
  };

  // Names first (deterministic: clusters and services sorted), so references never dangle.
  const slots: ServiceSlot[] = [];
  const serviceCount = new Map<string, number>();
  for (const { services } of estate.clusters) {
    for (const { service } of services) {
      const name = String(service.serviceName);
      serviceCount.set(name, (serviceCount.get(name) ?? 0) + 1);
    }
  }
  const clusterManifests = new Map<string, string>();
  for (const { cluster, services } of estate.clusters) {
    const clusterName = String(cluster.clusterName);
    const clusterManifest = clusterNames.claim([clusterName]);
    clusterManifests.set(clusterName, clusterManifest);
    const fileNames = new NameAllocator();
    fileNames.claim(['cluster']);
    for (const entry of services) {
      const serviceName = String(entry.service.serviceName);
      const unique = (serviceCount.get(serviceName) ?? 0) === 1;
      const name = serviceNames.claim(unique ? [serviceName] : [`${clusterName}-${serviceName}`]);
      slots.push({
        clusterName,
        clusterManifest,
        entry,
        name,
        fileName: fileNames.claim([name, `service-${name}`]),
      });
    }
  }
  const owners = taskDefinitionOwners(slots);
  const familyManifest = new Map<string, string>();
  for (const [family] of [...owners].sort(([a], [b]) => a.localeCompare(b))) {
    familyManifest.set(family, familyNames.claim([family]));
  }

  for (const { cluster } of estate.clusters) {
    const clusterName = String(cluster.clusterName);
    const name = clusterManifests.get(clusterName) as string;
    const path = `${name}/cluster.yaml`;
    const spec = withTags(
      { ...(name === clusterName ? {} : { clusterName }), ...importClusterSpec(asObject(cluster)) },
      cluster.tags,
    );
    const arn = String(cluster.clusterArn ?? clusterName);
    const doc = document('Cluster', name, arn, spec, adoption(cluster.tags, `Cluster/${name}`, path));
    files.push(renderFile(path, arn, [doc], options));
  }

  for (const slot of slots) {
    const { entry, name } = slot;
    const path = `${slot.clusterManifest}/${slot.fileName}.yaml`;
    const service = entry.service;
    const serviceArn = String(service.serviceArn ?? service.serviceName);
    const runningArn = String(service.taskDefinition ?? '');
    const { family } = parseTaskDefinitionRef(runningArn);
    const documents: Document[] = [];
    const owner = owners.get(family);
    let taskDefinitionRef: string;
    if (entry.taskDefinition && owner === slot) {
      const tdName = familyManifest.get(family) as string;
      const td = entry.taskDefinition;
      const spec = withTags(
        {
          ...(tdName === family ? {} : { family }),
          ...importTaskDefinitionSpec(asObject(td.taskDefinition)),
        },
        td.tags,
      );
      const resource = `TaskDefinition/${tdName}`;
      // A task definition follows its service: one another tool deploys is not taken over either.
      const serviceOwner = ownershipOf(tagsToMap(service.tags), options.instance);
      const annotations =
        serviceOwner.kind === 'foreign' && !options.adoptOwned ? {} : adoption(td.tags, resource, path);
      documents.push(document('TaskDefinition', tdName, runningArn, spec, annotations));
      for (const [container, variable] of secretLookingEnvironment(spec.containerDefinitions)) {
        warnings.push({
          file: path,
          resource,
          message: `container "${container}" has environment variable ${variable}, which looks like a secret; move it to secrets (valueFrom an SSM parameter or Secrets Manager secret)`,
        });
      }
      taskDefinitionRef = tdName;
    } else if (entry.taskDefinition && owner) {
      const ownerArn = String(owner.entry.taskDefinition?.taskDefinition.taskDefinitionArn);
      if (shortTaskDefinitionRef(ownerArn) === shortTaskDefinitionRef(runningArn)) {
        taskDefinitionRef = familyManifest.get(family) as string;
      } else {
        taskDefinitionRef = shortTaskDefinitionRef(runningArn);
        warnings.push({
          file: path,
          resource: `Service/${name}`,
          message: `runs ${taskDefinitionRef} while Service/${owner.name} runs ${shortTaskDefinitionRef(ownerArn)}, which is imported as TaskDefinition/${familyManifest.get(family)}; this service pins its revision (name the manifest in spec.taskDefinition to deploy it from Git)`,
        });
      }
    } else {
      taskDefinitionRef = shortTaskDefinitionRef(runningArn);
      warnings.push({
        file: path,
        resource: `Service/${name}`,
        message: `its task definition ${taskDefinitionRef} could not be described; the service pins it`,
      });
    }
    const serviceName = String(service.serviceName);
    const serviceAnnotations = adoption(service.tags, `Service/${name}`, path);
    const spec = withTags(
      {
        ...(name === serviceName ? {} : { serviceName }),
        ...importServiceSpec(asObject(service), {
          cluster: slot.clusterManifest,
          taskDefinition: taskDefinitionRef,
          autoscaled: entry.scaling !== undefined,
        }),
      },
      service.tags,
    );
    documents.push(document('Service', name, serviceArn, spec, serviceAnnotations));
    if (entry.scaling) {
      const target = entry.scaling.target;
      const arn = String(target.ScalableTargetARN ?? target.ResourceId ?? '');
      documents.push(
        document(
          'ScalingPolicy',
          name,
          arn,
          importScalingPolicySpec(entry.scaling, name),
          serviceAnnotations,
        ),
      );
    }
    files.push(renderFile(path, serviceArn, documents, options));
  }

  // The controller's schedule group: ScheduledTasks naming the imported cluster and, when it runs
  // the revision a manifest describes, the TaskDefinition manifest (else its family:revision).
  const scheduleNames = new NameAllocator();
  for (const schedule of estate.schedules ?? []) {
    const scheduleName = String(schedule.Name);
    const name = scheduleNames.claim([scheduleName]);
    const path = `schedules/${name}.yaml`;
    const resource = `ScheduledTask/${name}`;
    const arn = String(schedule.Arn ?? scheduleName);
    if (!isEcsSchedule(schedule)) {
      warnings.push({
        file: path,
        resource,
        message: `its target ${String(schedule.Target?.Arn ?? '(none)')} is not an ECS cluster: not imported (a ScheduledTask runs ECS tasks)`,
      });
      continue;
    }
    const clusterArn = String(schedule.Target?.Arn);
    const runs = String(schedule.Target?.EcsParameters?.TaskDefinitionArn ?? '');
    const { family } = parseTaskDefinitionRef(runs);
    const owner = owners.get(family)?.entry.taskDefinition?.taskDefinition.taskDefinitionArn;
    const taskDefinition =
      owner && shortTaskDefinitionRef(String(owner)) === shortTaskDefinitionRef(runs)
        ? (familyManifest.get(family) as string)
        : shortTaskDefinitionRef(runs);
    const spec = importScheduledTaskSpec(schedule, {
      cluster: clusterManifests.get(clusterNameOfArn(clusterArn)) ?? clusterArn,
      taskDefinition,
      ...(name === scheduleName ? {} : { scheduleName }),
    });
    const annotations = adoption(
      Object.entries(targetTagsToMap(schedule.Target?.EcsParameters?.Tags)).map(([key, value]) => ({
        key,
        value,
      })),
      resource,
      path,
    );
    files.push(renderFile(path, arn, [document('ScheduledTask', name, arn, spec, annotations)], options));
  }
  return { files, warnings };
}
