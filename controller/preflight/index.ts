// Preflight: the checks that catch a doomed deploy before it starts (ecspresso's `verify`). Each
// reference a task definition makes outside ECS is looked up; a missing one is a finding with the
// exact thing that is missing. Reads go through live/preflight-reads.ts (the reader port).
import type { PreflightReader } from '../live/preflight-reads.js';
import type { DesiredResource, DesiredTaskDefinition } from '../manifest/model.js';
import { type KeyString, keyString } from '../types.js';
import { taskDefinitionReferences } from './references.js';

export type CheckName = 'image' | 'secret' | 'log-group';

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
  return { resource: keyString(resource.key), checks, ok: checks.every((c) => c.status !== 'failed') };
}

/** Preflight of every task definition in a desired state (`ecs-gitops verify`). */
export async function verifyAll(
  resources: readonly DesiredResource[],
  reader: PreflightReader,
  region: string,
): Promise<PreflightReport[]> {
  const reports: PreflightReport[] = [];
  for (const resource of resources) {
    if (resource.kind === 'TaskDefinition')
      reports.push(await verifyTaskDefinition(resource, reader, region));
  }
  return reports;
}
