// What every fault probe checks once the controller says it converged: `ecs-gitops diff` against
// ECS finds nothing (ECS equals Git), nothing is duplicated (one service per name, no twin
// task definition revisions) and nothing Git still names was deleted.

import { join } from 'node:path';
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { expect } from 'vitest';
import { ledgerClusterName } from '../../controller/reconcile/hook-ledger.js';
import { runCommand } from '../helpers/cli.js';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';

export interface FleetTarget {
  readonly ecs: ECSClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  readonly endpoint: string;
  readonly remote: string;
  /** A scratch folder for the diff's own clone. */
  readonly dir: string;
}

/**
 * The example fleet as ECS should hold it: clusters (with the hook ledger the web migration's first
 * run creates), services per cluster, scalable targets, task definition families.
 */
export const EXAMPLE_FLEET = {
  clusters: ['batch-prod', ledgerClusterName('ecs-gitops'), 'prod'].sort(),
  services: { prod: ['api', 'web'], 'batch-prod': ['worker'] } as Record<string, string[]>,
  targets: ['service/prod/web'],
  families: ['api', 'nightly-report', 'web', 'web-migrate', 'worker'],
};

/** `ecs-gitops diff` of the watched repository against ECS: its exit code and output. */
export async function diffAgainstEcs(target: FleetTarget): Promise<{ code: number; output: string }> {
  const run = await runCommand(
    [
      ...['diff', '--repo', target.remote, '--dir', 'manifests'],
      ...['--endpoint-url', target.endpoint, '--region', 'us-east-1'],
      ...['--cache-dir', join(target.dir, `diff-cache-${Date.now()}`)],
    ],
    {
      cwd: target.dir,
      env: {
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      },
    },
  );
  return { code: run.code, output: `${run.stdout}${run.stderr}` };
}

/** ECS equals Git, with every resource present exactly once. */
export async function expectFleetMatchesGit(target: FleetTarget, fleet = EXAMPLE_FLEET): Promise<void> {
  const diff = await diffAgainstEcs(target);
  expect(diff.code, diff.output).toBe(0);

  const { ecs } = target;
  const clusterArns = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  const clusters = (await ecs.send(new DescribeClustersCommand({ clusters: clusterArns }))).clusters ?? [];
  expect(
    clusters
      .filter((c) => c.status === 'ACTIVE')
      .map((c) => c.clusterName)
      .sort(),
  ).toEqual(fleet.clusters);

  const services: Record<string, string[]> = {};
  for (const cluster of Object.keys(fleet.services)) {
    const arns = (await ecs.send(new ListServicesCommand({ cluster }))).serviceArns ?? [];
    const described =
      (await ecs.send(new DescribeServicesCommand({ cluster, services: arns }))).services ?? [];
    services[cluster] = described
      .filter((s) => s.status === 'ACTIVE')
      .map((s) => s.serviceName ?? '')
      .sort();
  }
  expect(services).toEqual(fleet.services);

  const targets = await target.autoscaling.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }),
  );
  expect((targets.ScalableTargets ?? []).map((t) => t.ResourceId).sort()).toEqual(fleet.targets);

  // No twins: two consecutive ACTIVE revisions of a family never hold the same content.
  for (const family of fleet.families) {
    const arns =
      (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' })))
        .taskDefinitionArns ?? [];
    expect(arns.length, `${family} has no ACTIVE revision`).toBeGreaterThan(0);
    const contents = new Map<number, string>();
    for (const arn of arns) {
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition;
      contents.set(td?.revision ?? 0, JSON.stringify(td?.containerDefinitions));
    }
    const twins = [...contents].filter(([revision, content]) => contents.get(revision - 1) === content);
    expect(
      twins.map(([revision]) => revision),
      `${family}: ${arns.join(', ')}`,
    ).toEqual([]);
  }
}

/** Sum of a Prometheus counter's samples whose labels include every `labels` pair. */
export function counterSum(metricsText: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
