// The named normalizers, one behaviour each.
import { describe, expect, it } from 'vitest';
import { comparableTags, isOwnedBy } from '../../controller/aws-model/tags.js';
import {
  parseTaskDefinitionRef,
  shortTaskDefinitionRef,
} from '../../controller/aws-model/task-definition-ref.js';
import { compareObjects } from '../../controller/diff/compare.js';
import { taskDefinitionFingerprint } from '../../controller/diff/fingerprint.js';
import {
  normalizeContainerDefinition,
  normalizePortMappings,
} from '../../controller/diff/normalize/container-definition.js';
import { isSecretName, looksLikeSecretValue } from '../../controller/diff/normalize/sensitive.js';
import { normalizeService } from '../../controller/diff/normalize/service.js';
import { normalizeTaskCpu, normalizeTaskMemory } from '../../controller/diff/normalize/units.js';
import { dropAbsent } from '../../controller/diff/normalize/values.js';

describe('units', () => {
  it.each([
    ['0.25 vCPU', '256'],
    ['1 vcpu', '1024'],
    ['2 vCPUs', '2048'],
    [512, '512'],
    ['256', '256'],
  ])('cpu %s → %s', (input, expected) => expect(normalizeTaskCpu(input)).toBe(expected));
  it.each([
    ['1 GB', '1024'],
    ['1GB', '1024'],
    ['0.5 GB', '512'],
    ['512 MiB', '512'],
    [2048, '2048'],
  ])('memory %s → %s', (input, expected) => expect(normalizeTaskMemory(input)).toBe(expected));
});

describe('absent values', () => {
  it('treats null, [] and {} as not set, recursively', () => {
    expect(dropAbsent({ a: null, b: [], c: {}, d: { e: [] }, f: 0, g: false, h: '' })).toEqual({
      f: 0,
      g: false,
      h: '',
    });
  });
});

describe('container defaults', () => {
  it('fills essential, drops cpu 0, versionConsistency enabled and false flags', () => {
    const live = normalizeContainerDefinition(
      {
        name: 'a',
        image: 'x',
        cpu: 0,
        essential: true,
        privileged: false,
        versionConsistency: 'enabled',
        environment: [],
      },
      'awsvpc',
    );
    expect(live).toEqual(normalizeContainerDefinition({ name: 'a', image: 'x' }, 'awsvpc'));
  });

  it('gives port mappings protocol tcp and, with awsvpc/host, hostPort = containerPort', () => {
    expect(normalizePortMappings([{ containerPort: 80 }], 'awsvpc')).toEqual([
      { containerPort: 80, protocol: 'tcp', hostPort: 80 },
    ]);
    expect(normalizePortMappings([{ containerPort: 80, hostPort: 0 }], 'bridge')).toEqual([
      { containerPort: 80, protocol: 'tcp' },
    ]);
    expect(normalizePortMappings([{ containerPort: 80, hostPort: 8080 }], 'bridge')).toEqual([
      { containerPort: 80, protocol: 'tcp', hostPort: 8080 },
    ]);
  });
});

describe('service defaults', () => {
  it('drops documented defaults and sorts subnets and security groups', () => {
    const options = { ignoreDesiredCount: false, omitted: new Set<string>() };
    const live = normalizeService(
      {
        desiredCount: 2,
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: false,
        schedulingStrategy: 'REPLICA',
        platformVersion: 'LATEST',
        healthCheckGracePeriodSeconds: 0,
        deploymentController: { type: 'ECS' },
        deploymentConfiguration: {
          maximumPercent: 200,
          minimumHealthyPercent: 100,
          deploymentCircuitBreaker: { enable: false, rollback: false },
        },
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['b', 'a'], securityGroups: ['s'], assignPublicIp: 'DISABLED' },
        },
      },
      options,
    );
    expect(live).toEqual({
      desiredCount: 2,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['a', 'b'], securityGroups: ['s'] } },
    });
  });

  it('skips desiredCount when autoscaling owns it', () => {
    expect(normalizeService({ desiredCount: 9 }, { ignoreDesiredCount: true, omitted: new Set() })).toEqual(
      {},
    );
  });
});

describe('tags', () => {
  it('compares user tags only: aws: and controller bookkeeping tags are ignored', () => {
    const tags = [
      { key: 'team', value: 'web' },
      { key: 'aws:cloudformation:stack-name', value: 's' },
      { key: 'ecs-gitops/revision', value: 'abc' },
      { key: 'ecs-gitops/managed-by', value: 'ecs-gitops' },
    ];
    expect(comparableTags(tags)).toEqual({ team: 'web' });
    expect(isOwnedBy(tags, 'ecs-gitops')).toBe(true);
    expect(isOwnedBy(tags, 'other')).toBe(false);
  });
});

describe('task definition references', () => {
  it('reduces family, family:rev and ARN to one form', () => {
    expect(shortTaskDefinitionRef('arn:aws:ecs:us-east-1:123456789012:task-definition/web:3')).toBe('web:3');
    expect(shortTaskDefinitionRef('web:3')).toBe('web:3');
    expect(parseTaskDefinitionRef('web')).toEqual({ family: 'web' });
  });
});

describe('field paths', () => {
  it('names list items by identity and ends name/value items at the name', () => {
    const changes = compareObjects(
      {
        containerDefinitions: [
          { name: 'web', image: 'b', environment: [{ name: 'LOG_LEVEL', value: 'debug' }] },
        ],
      },
      {
        containerDefinitions: [
          { name: 'web', image: 'a', environment: [{ name: 'LOG_LEVEL', value: 'info' }] },
        ],
      },
    );
    expect(changes.map((c) => c.path)).toEqual([
      'containerDefinitions[web].image',
      'containerDefinitions[web].environment[LOG_LEVEL]',
    ]);
  });

  it('masks secret-looking environment values, also inside a whole added container', () => {
    const [change] = compareObjects(
      { containerDefinitions: [{ name: 'web', environment: [{ name: 'DB_PASSWORD', value: 'p' }] }] },
      {},
    );
    expect(change?.sensitive).toBe(true);
    expect(JSON.stringify(change)).not.toContain('"p"');
  });
});

describe('sensitivity', () => {
  it('recognises secret names and secret-looking values, not ordinary ones', () => {
    expect(isSecretName('STRIPE_API_KEY')).toBe(true);
    expect(isSecretName('LOG_LEVEL')).toBe(false);
    expect(looksLikeSecretValue('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(looksLikeSecretValue('postgres://app:s3cret@db:5432/app')).toBe(true);
    expect(looksLikeSecretValue('https://sqs.us-east-1.amazonaws.com/123456789012/jobs')).toBe(false);
  });
});

describe('fingerprint', () => {
  it('is stable across spelling of the same content and changes with content', () => {
    const a = taskDefinitionFingerprint('web', {
      cpu: '0.25 vCPU',
      containerDefinitions: [{ name: 'w', image: 'x', essential: true }],
    });
    const b = taskDefinitionFingerprint('web', {
      containerDefinitions: [{ image: 'x', name: 'w' }],
      cpu: 256,
    });
    const c = taskDefinitionFingerprint('web', {
      cpu: '256',
      containerDefinitions: [{ name: 'w', image: 'y' }],
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
