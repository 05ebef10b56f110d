// The one read → diff → plan → apply wiring (controller/pipeline/) that `ecs-gitops diff`, `apply`
// and the reconciler share: what it writes, how it sizes the prune rail, what preflight holds back.
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { AwsCallCounter, createAwsClients } from '../../controller/aws/clients.js';
import type { ResourceDiff } from '../../controller/diff/model.js';
import { createPreflightReader } from '../../controller/live/preflight-reads.js';
import { createPipeline, type PipelineConfig, planFor } from '../../controller/pipeline/index.js';
import { configurationInSync } from '../../controller/plan/index.js';
import { PREFLIGHT_FAILED } from '../../controller/preflight/gate.js';
import { fingerprintAll } from '../../controller/reconcile/fingerprint.js';
import { keyString, OWNERSHIP_TAGS } from '../../controller/types.js';
import { TEST_CREDENTIALS, useTestEmulator } from '../helpers/emulator.js';
import { serviceFleet } from '../helpers/service-fleet.js';
import { desiredFrom } from '../live/support.js';

const env = useTestEmulator();
const CONFIG: PipelineConfig = {
  instance: 'ecs-gitops',
  prune: false,
  pruneMax: { kind: 'ratio', value: 0.25 },
  pruneConfirm: false,
};

function clients() {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  return createAwsClients(
    { region: 'us-east-1', endpointUrl: env().url, maxAttempts: 1 },
    new AwsCallCounter(),
  );
}

function ownedDelete(name: string): ResourceDiff {
  return {
    key: { kind: 'Service', name },
    action: 'delete',
    changes: [],
    replaceReasons: [],
    owned: true,
    liveArn: `arn:aws:ecs:us-east-1:123456789012:service/prod/${name}`,
  };
}

describe('pipeline', () => {
  it('given an empty account, when a fleet is previewed and applied, then everything is created with the ownership and spec-hash record, and a second preview is in sync', async () => {
    const aws = clients();
    try {
      const desired = desiredFrom(serviceFleet(2), 'r1');
      const pipeline = createPipeline(aws, CONFIG);

      const first = await pipeline.preview(desired);
      expect(first.changeSet.entries.map((e) => `${e.action} ${keyString(e.key)}`)).toEqual([
        'create Cluster/prod',
        'create TaskDefinition/svc-0',
        'create TaskDefinition/svc-1',
        'create Service/svc-0',
        'create Service/svc-1',
      ]);
      const result = await pipeline.apply(first.changeSet, {
        live: first.live,
        signal: new AbortController().signal,
      });

      expect(result.entries.map((e) => e.outcome)).toEqual(Array(5).fill('created'));
      const services = await env().ecs.send(
        new DescribeServicesCommand({ cluster: 'prod', services: ['svc-0', 'svc-1'], include: ['TAGS'] }),
      );
      const fingerprints = fingerprintAll(desired.resources);
      for (const service of services.services ?? []) {
        const tags = Object.fromEntries((service.tags ?? []).map((t) => [t.key, t.value]));
        expect(tags).toMatchObject({
          [OWNERSHIP_TAGS.managedBy]: 'ecs-gitops',
          [OWNERSHIP_TAGS.revision]: 'r1',
          [OWNERSHIP_TAGS.specHash]: fingerprints.get(`Service/${service.serviceName}`),
        });
      }
      const second = await pipeline.preview(desired);
      expect(configurationInSync(second.changeSet)).toBe(true);
    } finally {
      aws.destroy();
    }
  });

  it('given a task definition whose execution role does not exist, when applied with preflight, then it fails retryably, its service waits, and nothing is registered', async () => {
    const aws = clients();
    const reader = createPreflightReader({ region: 'us-east-1', endpointUrl: env().url, maxAttempts: 1 });
    try {
      const files = serviceFleet(1);
      files['svc-0.yaml'] = (files['svc-0.yaml'] ?? '').replace(
        '  requiresCompatibilities: [FARGATE]',
        '  requiresCompatibilities: [FARGATE]\n  executionRoleArn: arn:aws:iam::123456789012:role/missing',
      );
      const desired = desiredFrom(files, 'r1');
      const failures: string[] = [];
      const pipeline = createPipeline(aws, CONFIG, {
        preflight: { reader, region: 'us-east-1', onFailure: (key) => failures.push(key) },
      });

      const { live, changeSet } = await pipeline.preview(desired);
      const result = await pipeline.apply(changeSet, { live, signal: new AbortController().signal });

      const byKey = new Map(result.entries.map((e) => [keyString(e.key), e]));
      expect(failures).toEqual(['TaskDefinition/svc-0']);
      expect(byKey.get('TaskDefinition/svc-0')).toMatchObject({
        outcome: 'failed',
        error: { code: PREFLIGHT_FAILED, retryable: true },
      });
      expect(byKey.get('TaskDefinition/svc-0')?.message).toContain('role/missing');
      expect(byKey.get('Service/svc-0')).toMatchObject({
        outcome: 'skipped',
        skipReason: 'preflight-failed',
      });
      expect(byKey.get('Cluster/prod')?.outcome).toBe('created');
      const families = await env().ecs.send(new ListTaskDefinitionsCommand({}));
      expect(families.taskDefinitionArns ?? []).toEqual([]);
    } finally {
      reader.destroy();
      aws.destroy();
    }
  });

  it('given four owned resources that left Git, when planned with --prune-max 25%, then the deletions are refused unless confirmed', () => {
    const diffs = ['a', 'b', 'c', 'd'].map(ownedDelete);

    const refused = planFor(diffs, { ...CONFIG, prune: true }, { revision: 'r2' });
    const confirmed = planFor(diffs, { ...CONFIG, prune: true, pruneConfirm: true }, { revision: 'r2' });
    const countOf4 = planFor(
      diffs,
      { ...CONFIG, prune: true, pruneMax: { kind: 'count', value: 4 } },
      { revision: 'r2' },
    );

    // 25% of 4 owned is 1: four deletions are over the rail
    expect(refused.entries.map((e) => e.blocked?.reason)).toEqual(Array(4).fill('prune-limit'));
    expect(confirmed.entries.every((e) => e.action === 'delete' && !e.blocked)).toBe(true);
    expect(countOf4.entries.every((e) => !e.blocked)).toBe(true);
  });
});
