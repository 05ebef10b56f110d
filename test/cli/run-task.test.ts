// `ecs-gitops run-task Task/NAME`: one on-demand run of a Task manifest, followed to its exit code.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/git.js';
import { runCliCaptured } from '../helpers/run-cli.js';

const env = useTestEmulator({ clock: { mode: 'real', speed: 100 } });
const EXAMPLE = new URL('../../manifests/examples/', import.meta.url).pathname;

const cli = (dir: string, ...args: string[]) =>
  runCliCaptured([...args, '--path', dir, '--endpoint-url', env().url], { env: { AWS_REGION: 'us-east-1' } });

describe('ecs-gitops run-task', () => {
  it('given the example fleet applied, then run-task follows the migration to exit 0; an exit 3 is exit 1 with the code; the nightly schedule’s target runs now', async () => {
    const tmp = await tempDir('run-task-');
    try {
      const dir = join(tmp.path, 'fleet');
      await cp(EXAMPLE, dir, { recursive: true });
      expect((await cli(dir, 'apply')).code).toBe(0);

      const ok = await cli(dir, 'run-task', 'Task/web-migrate', '--poll-interval', '20');
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toMatch(/^started arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32} /m);
      expect(ok.stdout).toMatch(/Task\/web-migrate succeeded: exited 0 \(migrate=0\)/);
      expect(ok.code).toBe(0);

      const migrate = join(dir, 'web-migrate.yaml');
      await writeFile(migrate, (await readFile(migrate, 'utf8')).replace('value: "0"', 'value: "3"'));
      const notRegistered = await cli(dir, 'run-task', 'web-migrate');
      expect(notRegistered.stderr).toMatch(/TaskDefinition\/web-migrate as Git has it is not registered yet/);
      expect(notRegistered.code).toBe(2);
      expect((await cli(dir, 'apply')).code).toBe(0);
      const failed = await cli(dir, 'run-task', 'web-migrate', '--poll-interval', '20');
      expect(failed.stdout).toMatch(
        /Task\/web-migrate failed: task [0-9a-f]{32} stopped: EssentialContainerExited: Essential container in task exited; container migrate exited 3; logs: \/ecs\/web-migrate:migrate\/migrate\/[0-9a-f]{32}/,
      );
      expect(failed.code).toBe(1);

      const nightly = await cli(dir, 'run-task', 'ScheduledTask/nightly-report', '--poll-interval', '20');
      expect(nightly.stderr).toBe('');
      expect(nightly.stdout).toMatch(
        /^started arn:aws:ecs:us-east-1:123456789012:task\/batch-prod\/[0-9a-f]{32} /m,
      );
      expect(nightly.stdout).toMatch(/ScheduledTask\/nightly-report succeeded: exited 0 \(report=0\)/);
      expect(nightly.code).toBe(0);
      const noSchedule = await cli(dir, 'run-task', 'ScheduledTask/nope');
      expect(noSchedule.stderr).toMatch(
        /no ScheduledTask\/nope in the manifests \(there is ScheduledTask\/nightly-report\)/,
      );
      expect(noSchedule.code).toBe(2);

      const missing = await cli(dir, 'run-task', 'Task/nope');
      expect(missing.stderr).toMatch(/no Task\/nope in the manifests \(there is Task\/web-migrate\)/);
      expect(missing.code).toBe(2);
    } finally {
      await tmp.cleanup();
    }
  });
});
