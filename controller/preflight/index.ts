// Preflight: the checks that catch a doomed deploy before it starts (ecspresso's `verify`). Each
// reference a task definition makes outside ECS is looked up; a missing one is a finding with the
// exact thing that is missing. Reads go through live/preflight-reads.ts (the reader port).
import type { PreflightReader } from '../live/preflight-reads.js';
import type { DesiredResource, DesiredService, DesiredTaskDefinition } from '../manifest/model.js';
import { type KeyString, keyString } from '../types.js';
import {
  type RoleRef,
  serviceTargetGroups,
  type TargetGroupRef,
  taskDefinitionReferences,
} from './references.js';
import { ECS_TASKS, trustsEcsTasks } from './trust.js';

export type CheckName = 'image' | 'secret' | 'log-group' | 'role' | 'target-group';

export interface CheckResult {
  readonly check: CheckName;
  readonly status: 'ok' | 'failed' | 'skipped';
  /** `container web: image 1234….dkr.ecr…/web:1.2 not found (ImageNotFoundException: …)` */
  readonly message: string;
}

export interface PreflightReport {
  readonly resource: KeyString;
  readonly checks: readonly CheckResult[];
  readonly ok: boolean;
}

/** One line naming every failed check, for lastError, alerts and commit statuses. */
export function failureMessage(report: PreflightReport): string {
  const failed = report.checks.filter((c) => c.status === 'failed');
  return `preflight failed: ${failed.map((c) => c.message).join('; ')}`;
}

export async function verifyTaskDefinition(
  resource: DesiredTaskDefinition,
  reader: PreflightReader,
  region: string,
): Promise<PreflightReport> {
  const refs = taskDefinitionReferences(resource, region);
  const checks: CheckResult[] = [];
  for (const { container, ref } of refs.images) {
    if (ref.kind !== 'ecr') {
      checks.push({
        check: 'image',
        status: 'skipped',
        message: `container ${container}: ${ref.image} is on ${ref.registry}, not ECR: not checked`,
      });
      continue;
    }
    const found = await reader.image(ref.registryId, ref.region, ref.repository, {
      ...(ref.tag ? { tag: ref.tag } : {}),
      ...(ref.digest ? { digest: ref.digest } : {}),
    });
    checks.push(
      found.found
        ? { check: 'image', status: 'ok', message: `container ${container}: image ${ref.image} exists` }
        : {
            check: 'image',
            status: 'failed',
            message: `container ${container}: image ${ref.image} not found in ECR repository arn:aws:ecr:${ref.region}:${ref.registryId}:repository/${ref.repository} (${found.reason})`,
          },
    );
  }
  const ssm = refs.secrets.filter((s) => s.ref.kind === 'ssm');
  const byRegion = new Map<string, string[]>();
  for (const { ref } of ssm)
    if (ref.kind === 'ssm') byRegion.set(ref.region, [...(byRegion.get(ref.region) ?? []), ref.name]);
  const parameters = new Map<string, { found: boolean }>();
  for (const [r, names] of byRegion)
    for (const [name, found] of await reader.parameters(r, [...new Set(names)]))
      parameters.set(`${r}|${name}`, found);
  for (const { container, ref } of refs.secrets) {
    const found =
      ref.kind === 'secretsmanager'
        ? await reader.secret(ref.region, ref.secretId)
        : parameters.get(`${ref.region}|${ref.name}`);
    const what =
      ref.kind === 'secretsmanager'
        ? `Secrets Manager secret ${ref.secretId}`
        : `SSM parameter ${ref.name} (${ref.region})`;
    checks.push(
      found?.found
        ? { check: 'secret', status: 'ok', message: `container ${container}: ${what} exists` }
        : {
            check: 'secret',
            status: 'failed',
            message: `container ${container}: ${what} does not exist (valueFrom ${ref.valueFrom})`,
          },
    );
  }
  for (const log of refs.logGroups) {
    if (log.createGroup) {
      checks.push({
        check: 'log-group',
        status: 'ok',
        message: `container ${log.container}: log group ${log.group} is created by awslogs-create-group`,
      });
      continue;
    }
    const found = await reader.logGroup(log.region, log.group);
    checks.push(
      found.found
        ? {
            check: 'log-group',
            status: 'ok',
            message: `container ${log.container}: log group ${log.group} exists`,
          }
        : {
            check: 'log-group',
            status: 'failed',
            message: `container ${log.container}: CloudWatch Logs group ${log.group} does not exist in ${log.region} (create it or set awslogs-create-group: "true")`,
          },
    );
  }
  for (const role of refs.roles) checks.push(await checkRole(role, reader, region));
  return report(resource, checks);
}

function report(resource: DesiredResource, checks: readonly CheckResult[]): PreflightReport {
  return { resource: keyString(resource.key), checks, ok: checks.every((c) => c.status !== 'failed') };
}

async function checkRole(role: RoleRef, reader: PreflightReader, region: string): Promise<CheckResult> {
  const label = `${role.use} role ${role.value}`;
  const found = await reader.role(region, role.roleName);
  if (!found.found)
    return { check: 'role', status: 'failed', message: `${label} does not exist (${found.reason})` };
  // GetRole looks up by name; a different path or account in the ARN is another role.
  if (role.arn && found.arn !== role.arn)
    return {
      check: 'role',
      status: 'failed',
      message: `${label} does not exist: the role named ${role.roleName} is ${found.arn}`,
    };
  const trust = trustsEcsTasks(found.trustPolicy);
  return trust.trusted
    ? { check: 'role', status: 'ok', message: `${label} exists and trusts ${ECS_TASKS}` }
    : {
        check: 'role',
        status: 'failed',
        message: `${label} cannot be assumed by ECS tasks: ${trust.reason}`,
      };
}

interface PortMappingLike {
  readonly containerPort?: number;
  readonly protocol?: string;
}

/** Target group protocols that carry a container port's tcp or udp traffic. */
const CARRIES: Readonly<Record<string, readonly string[]>> = {
  tcp: ['HTTP', 'HTTPS', 'TCP', 'TLS', 'TCP_UDP'],
  udp: ['UDP', 'TCP_UDP'],
};

/**
 * The target group's side of a service's load balancer: the protocol of the container port it
 * routes to is one the target group carries, and its target type fits the network mode (awsvpc
 * tasks register by IP). The target group's own port is not compared: ECS
 * registers every task at its container's port.
 */
function matchTargetGroup(
  ref: TargetGroupRef,
  found: { protocol?: string; port?: number; targetType?: string },
  taskDefinition: DesiredTaskDefinition | undefined,
): string | undefined {
  if (!taskDefinition) return undefined;
  const containers = (taskDefinition.spec.containerDefinitions ?? []) as ReadonlyArray<{
    name?: string;
    portMappings?: readonly PortMappingLike[];
  }>;
  // The manifest rules already refuse a containerPort the container does not map.
  const mapping = containers
    .find((c) => c.name === ref.containerName)
    ?.portMappings?.find((m) => m.containerPort === ref.containerPort);
  if (!mapping) return undefined;
  const protocol = (mapping.protocol ?? 'tcp').toLowerCase();
  if (found.protocol && !(CARRIES[protocol] ?? []).includes(found.protocol))
    return `its protocol ${found.protocol} does not carry container port ${ref.containerPort}/${protocol}`;
  const networkMode = taskDefinition.spec.networkMode ?? 'bridge';
  const wanted = networkMode === 'awsvpc' ? 'ip' : 'instance';
  if (found.targetType && found.targetType !== wanted)
    return `its target type ${found.targetType} does not fit network mode ${networkMode} (needs ${wanted})`;
  return undefined;
}

/**
 * Preflight of a service's load balancers: each target group exists and matches the container port
 * it routes to. `taskDefinition` is the manifest the service runs (undefined for an external one: then
 * only existence is checked).
 */
export async function verifyService(
  service: DesiredService,
  taskDefinition: DesiredTaskDefinition | undefined,
  reader: PreflightReader,
  region: string,
): Promise<PreflightReport> {
  const checks: CheckResult[] = [];
  for (const ref of serviceTargetGroups(service, region)) {
    const found = await reader.targetGroup(ref.region, ref.targetGroupArn);
    if (!found.found) {
      checks.push({
        check: 'target-group',
        status: 'failed',
        message: `target group ${ref.targetGroupArn} does not exist (${found.reason})`,
      });
      continue;
    }
    const mismatch = matchTargetGroup(ref, found, taskDefinition);
    const route = `${ref.containerName ?? '?'}:${ref.containerPort ?? '?'}`;
    checks.push(
      mismatch
        ? {
            check: 'target-group',
            status: 'failed',
            message: `target group ${ref.targetGroupArn} cannot serve ${route}: ${mismatch}`,
          }
        : {
            check: 'target-group',
            status: 'ok',
            message: `target group ${ref.targetGroupArn} (${found.protocol ?? '?'}, ${found.targetType ?? '?'}) serves ${route}${taskDefinition ? '' : ' (external task definition: ports not compared)'}`,
          },
    );
  }
  return report(service, checks);
}

/** The TaskDefinition manifest a service runs, if it names one in this revision. */
export function taskDefinitionOf(
  service: DesiredService,
  resources: readonly DesiredResource[],
): DesiredTaskDefinition | undefined {
  const ref = service.taskDefinition;
  if (ref.type !== 'manifest') return undefined;
  return resources.find(
    (r): r is DesiredTaskDefinition => r.kind === 'TaskDefinition' && r.name === ref.name,
  );
}

/** Preflight of every task definition and load-balanced service in a desired state (`ecs-gitops verify`). */
export async function verifyAll(
  resources: readonly DesiredResource[],
  reader: PreflightReader,
  region: string,
): Promise<PreflightReport[]> {
  const reports: PreflightReport[] = [];
  for (const resource of resources) {
    if (resource.kind === 'TaskDefinition')
      reports.push(await verifyTaskDefinition(resource, reader, region));
    else if (resource.kind === 'Service' && serviceTargetGroups(resource, region).length > 0)
      reports.push(await verifyService(resource, taskDefinitionOf(resource, resources), reader, region));
  }
  return reports;
}
