// Service: compared in CreateService/UpdateService input shape. Create-only fields become a
// `replace` with a reason; the task definition is resolved to the revision the service should run.

import { serviceKey } from '../aws-model/ids.js';
import { isOwnedBy } from '../aws-model/tags.js';
import { parseTaskDefinitionRef, shortTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import type { LiveState } from '../live/model.js';
import type { DesiredService, DesiredTaskDefinition } from '../manifest/model.js';
import { adoptingAction, type DiffOptions, desiredTags, makeDiff, tagChanges } from './common.js';
import { compareCreate, compareObjects } from './compare.js';
import type { FieldChange, ResourceDiff, TaskDefinitionTarget } from './model.js';
import { liveServiceInput, normalizeService, SERVER_CHOSEN_SERVICE_FIELDS } from './normalize/service.js';
import { asObject, type PlainObject, plainSpec } from './normalize/values.js';
import { taskDefinitionMatches } from './task-definition.js';

/** Create-only service fields (besides the identity: cluster and serviceName). */
export const SERVICE_CREATE_ONLY = new Set([
  'launchType',
  'schedulingStrategy',
  'role',
  'deploymentController',
]);

function omittedFields(spec: PlainObject): Set<string> {
  const omitted = new Set<string>(SERVER_CHOSEN_SERVICE_FIELDS.filter((field) => spec[field] === undefined));
  // Neither set: ECS uses the cluster's default capacity provider strategy, or EC2.
  if (spec.launchType === undefined && spec.capacityProviderStrategy === undefined) {
    omitted.add('launchType');
    omitted.add('capacityProviderStrategy');
  }
  return omitted;
}

function replaceReasons(desiredForm: PlainObject, liveForm: PlainObject): string[] {
  const reasons: string[] = [];
  const d = desiredForm;
  const l = liveForm;
  if (typeof d.launchType === 'string' && typeof l.launchType === 'string' && d.launchType !== l.launchType) {
    reasons.push(
      `launchType changes from ${l.launchType} to ${d.launchType}: ECS cannot change a service's launch type in place (only a move to or from a capacity provider strategy is an update)`,
    );
  }
  if ((d.schedulingStrategy ?? 'REPLICA') !== (l.schedulingStrategy ?? 'REPLICA')) {
    reasons.push(
      `schedulingStrategy changes from ${String(l.schedulingStrategy ?? 'REPLICA')} to ${String(d.schedulingStrategy ?? 'REPLICA')}: it is fixed at creation`,
    );
  }
  if (d.role !== undefined && d.role !== l.role) {
    reasons.push(
      `role changes from ${String(l.role ?? '(none)')} to ${String(d.role)}: it is fixed at creation`,
    );
  }
  const dc = String(asObject(d.deploymentController).type ?? 'ECS');
  const lc = String(asObject(l.deploymentController).type ?? 'ECS');
  if (dc !== lc)
    reasons.push(`deploymentController.type changes from ${lc} to ${dc}: it is fixed at creation`);
  return reasons;
}

/** Which revision the service should run, and the `taskDefinition` change if it differs from live. */
export function serviceTaskDefinition(
  desired: DesiredService,
  live: LiveState,
  liveArn: string | undefined,
  taskDefinitions: ReadonlyMap<string, { desired: DesiredTaskDefinition; target: TaskDefinitionTarget }>,
): { target: TaskDefinitionTarget; change?: FieldChange } {
  const ref = desired.taskDefinition;
  let target: TaskDefinitionTarget;
  if (ref.type === 'manifest') {
    const td = taskDefinitions.get(ref.name);
    const running = liveArn ? live.taskDefinitions[liveArn] : undefined;
    if (td && liveArn && taskDefinitionMatches(td.desired, running)) {
      // The service already runs content equal to the manifest: nothing to change, even if another revision also matches.
      return { target: { ...td.target, arn: liveArn, register: false } };
    }
    target = td?.target ?? { family: ref.family, register: true };
  } else {
    const parsed = parseTaskDefinitionRef(ref.value);
    let arn = parsed.revision === undefined ? live.latestRevisions[parsed.family] : ref.value;
    // Report the full ARN when the service already runs exactly the referenced revision.
    if (arn && liveArn && shortTaskDefinitionRef(arn) === shortTaskDefinitionRef(liveArn)) arn = liveArn;
    target = arn
      ? { family: parsed.family, arn, register: false }
      : { family: parsed.family, register: false };
  }
  const desiredRef = target.arn ? shortTaskDefinitionRef(target.arn) : `${target.family}:(new revision)`;
  const liveRef = liveArn ? shortTaskDefinitionRef(liveArn) : undefined;
  if (liveRef !== undefined && desiredRef === liveRef) return { target };
  const change: FieldChange =
    liveRef === undefined
      ? { path: 'taskDefinition', op: 'add', desired: desiredRef }
      : { path: 'taskDefinition', op: 'change', desired: desiredRef, live: liveRef };
  return { target, change };
}

export function diffService(
  desired: DesiredService,
  live: LiveState,
  options: DiffOptions,
  taskDefinitions: ReadonlyMap<string, { desired: DesiredTaskDefinition; target: TaskDefinitionTarget }>,
): ResourceDiff {
  const spec = plainSpec(desired.spec);
  const liveService = live.services[serviceKey(desired.cluster.clusterName, desired.serviceName)];
  const omitted = omittedFields(spec);
  const ignoreDesiredCount = desired.autoscaled || spec.desiredCount === undefined;
  const desiredForm = normalizeService(spec, { ignoreDesiredCount, omitted });
  const liveArn = typeof liveService?.taskDefinition === 'string' ? liveService.taskDefinition : undefined;
  const { target, change } = serviceTaskDefinition(desired, live, liveArn, taskDefinitions);
  if (!liveService) {
    return makeDiff({
      key: desired.key,
      action: 'create',
      changes: [
        ...(change ? [change] : []),
        ...compareCreate(desiredForm),
        ...tagChanges(desiredTags(desired), undefined),
      ],
      replaceReasons: [],
      desired,
      taskDefinition: target,
    });
  }
  const liveForm = normalizeService(liveServiceInput(asObject(liveService)), { ignoreDesiredCount, omitted });
  const reasons = replaceReasons(desiredForm, liveForm);
  const createOnly = new Set(
    [...SERVICE_CREATE_ONLY].filter((field) =>
      field === 'launchType' ? reasons.some((reason) => reason.startsWith('launchType')) : true,
    ),
  );
  const owned = isOwnedBy(liveService.tags, options.instance);
  const { action, changes } = adoptingAction(
    desired,
    liveService.tags,
    options.instance,
    owned,
    [
      ...(change ? [change] : []),
      ...compareObjects(desiredForm, liveForm, { createOnly }),
      ...tagChanges(desiredTags(desired), liveService.tags),
    ],
    reasons,
  );
  return makeDiff({
    key: desired.key,
    action,
    changes,
    replaceReasons: reasons,
    owned,
    liveArn: typeof liveService.serviceArn === 'string' ? liveService.serviceArn : undefined,
    desired,
    taskDefinition: target,
  });
}
