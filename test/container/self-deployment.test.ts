// manifests/self: the controller's own deployment validates, applies to the emulator (real SDK over
// HTTP) with the no-overlap deployment settings, re-diffs to zero, and iam-policy.json grants every
// AWS operation the controller's source sends — and nothing broad.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import { useTestEmulator } from '../helpers/emulator.js';

const env = useTestEmulator();
// The SDK's default credential chain reads the process environment (the emulator accepts any signature).
process.env.AWS_ACCESS_KEY_ID ??= 'AKIAEMULATOR';
process.env.AWS_SECRET_ACCESS_KEY ??= 'emulator-secret';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SELF = join(ROOT, 'manifests/self');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await runCli(argv, {
    stdout: stream((s) => (out += s)),
    stderr: stream((s) => (err += s)),
    env: {
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret',
      AWS_REGION: 'us-east-1',
    },
    cwd: ROOT,
    stopSignal: new AbortController().signal,
  });
  return { code, out, err };
}

describe('manifests/self', () => {
  it('given the self-deployment manifests, when validating, then they pass', async () => {
    const result = await cli('validate', SELF);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/3 resources valid/);
  });

  it('given an empty account, when bootstrapping with apply --path manifests/self, then the controller service exists and never overlaps', async () => {
    const applied = await cli('apply', '--path', SELF, '--endpoint-url', env().url);
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);

    const { services } = await env().ecs.send(
      new DescribeServicesCommand({ cluster: 'ecs-gitops', services: ['ecs-gitops'], include: ['TAGS'] }),
    );
    const service = services?.[0];
    expect(service).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 1,
      launchType: 'FARGATE',
      deploymentConfiguration: {
        minimumHealthyPercent: 0,
        maximumPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
    expect(service?.tags).toContainEqual({ key: 'ecs-gitops/managed-by', value: 'ecs-gitops' });

    const { taskDefinition } = await env().ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }),
    );
    const container = taskDefinition?.containerDefinitions?.[0];
    expect(taskDefinition?.taskRoleArn).toMatch(/role\/ecs-gitops-controller$/);
    expect(container?.user).toBe('10001:10001');
    expect(container?.readonlyRootFilesystem).toBe(true);
    expect(container?.stopTimeout).toBe(30);
    expect(container?.healthCheck?.command).toEqual(['CMD', 'node', '/app/healthcheck.mjs']);
    expect(container?.logConfiguration?.logDriver).toBe('awslogs');
    expect(container?.secrets?.map((s) => s.name).sort()).toEqual([
      'ECS_GITOPS_GIT_TOKEN',
      'ECS_GITOPS_WEBHOOK_SECRET',
    ]);
    // Secrets travel by reference only: no secret value appears in the plain environment.
    expect(container?.environment?.map((e) => e.name)).not.toContain('ECS_GITOPS_GIT_TOKEN');

    // Applying the same revision again is a no-op: no perpetual diff on the controller's own service.
    const diff = await cli('diff', '--path', SELF, '--endpoint-url', env().url);
    expect(diff.code).toBe(0);
  });
});

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/**
 * The IAM action prefix of each SDK client the controller's own policy must cover. EventBridge is left
 * out on purpose: PutEvents is an opt-in alert sink whose bus the operator grants (docs/alerts.md).
 */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  'client-ecs': 'ecs',
  'client-application-auto-scaling': 'application-autoscaling',
  'client-ecr': 'ecr',
  'client-secrets-manager': 'secretsmanager',
  'client-ssm': 'ssm',
  'client-cloudwatch-logs': 'logs',
  'client-iam': 'iam',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-scheduler': 'scheduler',
};

/** Every `new XCommand(` in controller/, as the IAM action it needs (`ecs:X`, `iam:GetRole`, …). */
async function actionsTheControllerSends(): Promise<Set<string>> {
  const actions = new Set<string>();
  for (const file of await sourceFiles(join(ROOT, 'controller'))) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/new (\w+)Command\(/g)) {
      const op = match[1] ?? '';
      // The module the command is imported from (a file may import same-named commands from two).
      for (const [module, prefix] of Object.entries(IAM_PREFIX)) {
        if (new RegExp(`\\b${op}Command\\b[^;]*from '@aws-sdk/${module}'`, 's').test(text))
          actions.add(`${prefix}:${op}`);
      }
    }
  }
  return actions;
}

describe('manifests/self/iam-policy.json', () => {
  it('given the controller source, when checking the policy, then every AWS operation it sends is allowed', async () => {
    const policy = JSON.parse(await readFile(join(SELF, 'iam-policy.json'), 'utf8')) as {
      Statement: Statement[];
    };
    const allowed = new Set(
      policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
        Array.isArray(s.Action) ? s.Action : [s.Action],
      ),
    );

    const sent = await actionsTheControllerSends();

    expect(sent.size).toBeGreaterThan(20);
    expect(sent).toContain('ecs:CreateService');
    expect(sent).toContain('application-autoscaling:PutScalingPolicy');
    expect(sent).toContain('scheduler:CreateSchedule');
    expect(sent).toContain('ecs:RunTask');
    expect(sent).toContain('iam:GetRole');
    expect(sent).toContain('elasticloadbalancing:DescribeTargetGroups');
    expect([...sent].filter((action) => !allowed.has(action))).toEqual([]);
  });

  it('given the policy, when reading it, then it grants no wildcard actions and passes roles only to ECS tasks', async () => {
    const policy = JSON.parse(await readFile(join(SELF, 'iam-policy.json'), 'utf8')) as {
      Statement: Statement[];
    };
    const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);

    // Roles go only to ECS tasks, and (the ScheduledTask target role) only to EventBridge Scheduler.
    const passRoles = policy.Statement.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRoles.map((s) => s.Condition?.StringEquals?.['iam:PassedToService']).sort()).toEqual([
      'ecs-tasks.amazonaws.com',
      'scheduler.amazonaws.com',
    ]);
    const passRole = passRoles.filter(
      (s) => s.Condition?.StringEquals?.['iam:PassedToService'] === 'ecs-tasks.amazonaws.com',
    );
    expect(passRole[0]?.Condition?.StringEquals?.['iam:PassedToService']).toBe('ecs-tasks.amazonaws.com');
    expect([passRole[0]?.Resource].flat().every((r) => r !== '*')).toBe(true);

    // Changing or deleting existing ECS resources is limited to what this controller owns.
    const modify = policy.Statement.find((s) => [s.Action].flat().includes('ecs:DeleteService'));
    expect(modify?.Condition?.StringEquals?.['aws:ResourceTag/ecs-gitops/managed-by']).toBe('ecs-gitops');
    expect([modify?.Action].flat()).toContain('ecs:UpdateService');
  });
});
