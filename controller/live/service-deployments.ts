// The current service deployment of BLUE_GREEN / LINEAR / CANARY services (DescribeServiceDeployments,
// ≤ 20 per call). A finished one never changes again, so it is cached by ARN: a steady pass (every
// service's current deployment finished and seen before) makes no call at all.
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import { toAwsError } from '../aws/clients.js';
import { isProgressive } from '../health/service-deployment.js';
import { plain } from './batch.js';
import type { LiveService, LiveServiceDeployment } from './model.js';

const BATCH = 20;
const FINISHED = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

export class ServiceDeploymentCache {
  private readonly entries = new Map<string, LiveServiceDeployment>();

  constructor(private readonly maxEntries = 5000) {}

  get(arn: string): LiveServiceDeployment | undefined {
    return this.entries.get(arn);
  }

  /** Keeps a deployment only once it finished (until then every read must be fresh). */
  offer(deployment: LiveServiceDeployment): void {
    const arn = deployment.serviceDeploymentArn;
    if (typeof arn !== 'string' || !FINISHED.has(String(deployment.status))) return;
    this.entries.delete(arn);
    this.entries.set(arn, deployment);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** The service deployment ARN whose state decides a service's health, if it is progressive. */
export function currentDeploymentArn(service: LiveService | undefined): string | undefined {
  if (!isProgressive(service)) return undefined;
  const arn = service?.currentServiceDeployment;
  return typeof arn === 'string' && arn !== '' ? arn : undefined;
}

/** ARN → ServiceDeployment for the given services' current deployments (cached when finished). */
export async function readServiceDeployments(
  clients: AwsClients,
  services: Iterable<LiveService>,
  cache: ServiceDeploymentCache,
  signal?: AbortSignal,
): Promise<Map<string, LiveServiceDeployment>> {
  const out = new Map<string, LiveServiceDeployment>();
  const wanted: string[] = [];
  for (const service of services) {
    const arn = currentDeploymentArn(service);
    if (!arn || out.has(arn) || wanted.includes(arn)) continue;
    const cached = cache.get(arn);
    if (cached) out.set(arn, cached);
    else wanted.push(arn);
  }
  for (let i = 0; i < wanted.length; i += BATCH) {
    const batch = wanted.slice(i, i + BATCH);
    try {
      const answer = await clients.ecs.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }),
        signal ? { abortSignal: signal } : {},
      );
      for (const deployment of answer.serviceDeployments ?? []) {
        const object = plain(deployment);
        if (typeof deployment.serviceDeploymentArn !== 'string') continue;
        out.set(deployment.serviceDeploymentArn, object);
        cache.offer(object);
      }
    } catch (error) {
      throw toAwsError('DescribeServiceDeployments', error);
    }
  }
  return out;
}

/** DescribeServices + DescribeServiceDeployments: one service's current service deployment, fresh. */
export async function readCurrentServiceDeployment(
  clients: AwsClients,
  cluster: string,
  serviceName: string,
): Promise<LiveServiceDeployment | undefined> {
  let arn: string | undefined;
  try {
    const out = await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    const current = out.services?.find((s) => s.status !== 'INACTIVE')?.currentServiceDeployment;
    arn = typeof current === 'string' && current !== '' ? current : undefined;
  } catch (error) {
    throw toAwsError('DescribeServices', error);
  }
  if (!arn) return undefined;
  try {
    const out = await clients.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    );
    const found = out.serviceDeployments?.[0];
    return found ? plain(found) : undefined;
  } catch (error) {
    throw toAwsError('DescribeServiceDeployments', error);
  }
}
