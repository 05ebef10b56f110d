// The hook gate across a crash around a failed hook's end (docs/tasks.md#a-restart): the outcome is
// written to the ledger before the SyncFailed alert goes out, and that it went out right after, so
// a controller restarted at either point tells the failure exactly once and runs nothing twice.
import { describe, expect, it } from 'vitest';
import type { RunTaskRequest } from '../../controller/apply/run-task.js';
import type { ResourceDiff } from '../../controller/diff/model.js';
import type { TaskRunView } from '../../controller/health/task-run.js';
import type { DesiredState } from '../../controller/manifest/model.js';
import type { BlockReason } from '../../controller/plan/model.js';
import { HookGate, type HookPort } from '../../controller/reconcile/hooks.js';
import type { ControllerEvent } from '../../controller/status/model.js';
import type { KeyString } from '../../controller/types.js';
import { FLEET, load } from '../manifest/helpers.js';

const hook = (name: string, phase: string) => `apiVersion: ecs-gitops/v1
kind: Task
metadata:
  name: ${name}
  annotations:
    ecs-gitops/hook: ${phase}
${phase === 'PreSync' ? '    ecs-gitops/hook-for: Service/web\n' : ''}spec:
  cluster: prod
  taskDefinition: web
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
`;

function desiredState(): DesiredState {
  const result = load({
    'fleet.yaml': FLEET,
    'migrate.yaml': hook('migrate', 'PreSync'),
    'cleanup.yaml': hook('cleanup', 'SyncFail'),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.desired;
}

// The hooks' task definition is registered and the cluster exists: the hooks may start.
const DIFFS = [
  {
    key: { kind: 'TaskDefinition', name: 'web' },
    action: 'noop',
    taskDefinition: { arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1' },
  },
  { key: { kind: 'Cluster', name: 'prod' }, action: 'noop' },
] as unknown as ResourceDiff[];

/** ECS as the hooks see it: RunTask idempotent by clientToken; the migration exits 1, others 0. */
class FakeEcs {
  readonly started = new Map<string, string>();
  runs = 0;
  onRun: (request: RunTaskRequest) => void = () => undefined;
  tags: Record<string, string> = {};
  port(): HookPort {
    return {
      run: async (request) => {
        this.onRun(request);
        let arn = this.started.get(request.clientToken);
        if (!arn) {
          this.runs += 1;
          arn = `arn:aws:ecs:us-east-1:123456789012:task/prod/${this.runs}`;
          this.started.set(request.clientToken, arn);
        }
        return { taskArns: [arn], failures: [] };
      },
      describe: async (_cluster, arns): Promise<TaskRunView[]> =>
        arns.map((taskArn) => {
          const migrate = [...this.started].some(
            ([token, arn]) => arn === taskArn && token.includes('presync'),
          );
          return {
            taskArn,
            lastStatus: 'STOPPED',
            stopCode: 'EssentialContainerExited',
            stoppedReason: 'Essential container in task exited',
            containers: [{ name: 'web', exitCode: migrate ? 1 : 0 }],
          };
        }),
      stop: async () => undefined,
      ledger: {
        read: async () => ({ ...this.tags }),
        write: async (set, remove) => {
          const next = { ...this.tags, ...set };
          for (const key of remove) delete next[key];
          this.tags = next;
        },
      },
    };
  }
}

/** A controller's hook gate; its alerts count while `alive` (a dead process tells nobody). */
function gate(ecs: FakeEcs, alerts: ControllerEvent[], alive: () => boolean = () => true): HookGate {
  return new HookGate(ecs.port(), {
    instance: 'ecs-gitops',
    now: () => new Date('2026-12-01T10:00:00Z'),
    publish: (event) => {
      if (event.type === 'SyncFailed' && alive()) alerts.push(event);
    },
  });
}

async function pass(target: HookGate, desired: DesiredState) {
  const blocked = new Map<string, { reason: BlockReason; message: string }>();
  await target.preSync({
    desired,
    diffs: DIFFS,
    deploying: new Set<KeyString>(['Service/web' as KeyString]),
    writable: true,
    blocked,
  });
  return blocked;
}

/** A crash: the process is gone, ECS keeps its tasks, the ledger keeps what was written by then. */
class Crash extends Error {}

describe('a failed PreSync hook across a crash', () => {
  it('given the controller dies while starting the SyncFail hook (after the alert), when it restarts, then the failure is told once and no hook runs twice', async () => {
    const desired = desiredState();
    const ecs = new FakeEcs();
    const alerts: ControllerEvent[] = [];
    // What is durable when the process dies: the ledger as it was when SyncFail's RunTask went out.
    let durable: Record<string, string> | undefined;
    const first = gate(ecs, alerts, () => durable === undefined);
    await pass(first, desired); // starts the migration
    ecs.onRun = (request) => {
      if (request.clientToken.includes('syncfail')) durable ??= { ...ecs.tags };
    };
    await pass(first, desired); // it exited 1: told, SyncFail started, and here the process dies
    expect(durable).toBeDefined();
    expect(alerts).toHaveLength(1);

    ecs.onRun = () => undefined;
    ecs.tags = durable ?? {};
    const second = gate(ecs, alerts);
    const blocked = await pass(second, desired);
    await pass(second, desired);
    expect(blocked.get('Service/web')?.reason).toBe('hook-failed');
    expect(alerts).toHaveLength(1);
    // the migration once, the SyncFail hook once (its clientToken found the first attempt's task)
    expect(ecs.runs).toBe(2);
  });

  it('given the controller dies after writing the failure but before telling it, when it restarts, then it tells it once', async () => {
    const desired = desiredState();
    const ecs = new FakeEcs();
    const alerts: ControllerEvent[] = [];
    const first = gate(ecs, alerts);
    await pass(first, desired);
    // Dies right after the ledger write that records the failure as not yet told.
    let durable: Record<string, string> | undefined;
    const port = ecs.port();
    const ledger = port.ledger!;
    const crashing = new HookGate(
      {
        ...port,
        ledger: {
          read: ledger.read,
          write: async (set, remove) => {
            await ledger.write(set, remove);
            if (Object.values(set).some((value) => value.includes(' Unreported '))) {
              durable = { ...ecs.tags };
              throw new Crash('SIGKILL');
            }
          },
        },
      },
      {
        instance: 'ecs-gitops',
        now: () => new Date('2026-12-01T10:00:00Z'),
        publish: (event) => {
          if (event.type === 'SyncFailed' && durable === undefined) alerts.push(event);
        },
      },
    );
    await pass(crashing, desired);
    expect(durable).toBeDefined();
    expect(alerts).toHaveLength(0);

    ecs.tags = durable ?? {};
    const second = gate(ecs, alerts);
    await pass(second, desired);
    await pass(second, desired);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toMatch(/PreSync hook Task\/migrate failed: .*exited 1/);
    expect(ecs.runs).toBe(2);
  });
});
