// Small reads that a write depends on (compare before write): apply/ asks, live/ reads, so every
// AWS read of the controller stays in this folder.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import { parseTaskDefinitionRef } from '../aws-model/task-definition-ref.js';
import { callAws } from './ecs-reads.js';
import type { LiveTaskDefinition } from './model.js';

type Ecs = Pick<AwsClients, 'ecs'>;

/** Every ACTIVE revision of exactly this family, newest first. */
export async function listActiveRevisions(
  clients: Ecs,
  family: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws('ListTaskDefinitions', () =>
      clients.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken }),
        signal ? { abortSignal: signal } : {},
      ),
    );
    for (const arn of page.taskDefinitionArns ?? []) {
      // familyPrefix is a prefix: `web` also lists `web-worker`.
      if (parseTaskDefinitionRef(arn).family === family) arns.push(arn);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return arns.sort(
    (a, b) => (parseTaskDefinitionRef(b).revision ?? 0) - (parseTaskDefinitionRef(a).revision ?? 0),
  );
}

/** One revision with its tags, in the shape live/ reads them (what the diff compares). */
export async function describeTaskDefinitionRevision(
  clients: Ecs,
  arn: string,
  signal?: AbortSignal,
): Promise<LiveTaskDefinition | undefined> {
  const out = await callAws('DescribeTaskDefinition', () =>
    clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }),
      signal ? { abortSignal: signal } : {},
    ),
  );
  if (!out.taskDefinition) return undefined;
  return {
    taskDefinition: JSON.parse(JSON.stringify(out.taskDefinition)) as LiveTaskDefinition['taskDefinition'],
    tags: (out.tags ?? []).map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })),
  };
}

/** The tags of one task definition revision, as a map. */
export async function taskDefinitionTags(
  clients: Ecs,
  arn: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const out = await callAws('DescribeTaskDefinition', () =>
    clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }),
      signal ? { abortSignal: signal } : {},
    ),
  );
  return Object.fromEntries((out.tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? '']));
}

/** ACTIVE | DRAINING | INACTIVE, or undefined when ECS does not know the service. */
export async function serviceStatus(
  clients: Ecs,
  cluster: string,
  service: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const out = await callAws('DescribeServices', () =>
    clients.ecs.send(
      new DescribeServicesCommand({ cluster, services: [service] }),
      signal ? { abortSignal: signal } : {},
    ),
  );
  return out.services?.[0]?.status;
}
