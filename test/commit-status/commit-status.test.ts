import { afterEach, describe, expect, it } from 'vitest';
import {
  createCommitStatusReporter,
  parseRemote,
  resolveTarget,
  summarize,
} from '../../controller/commit-status/index.js';
import type { ResourceStatus, StatusSnapshot } from '../../controller/status/model.js';
import type { KeyString } from '../../controller/types.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startFakeGitHost } from './fake-git-hosts.js';

const SHA = 'a'.repeat(40);

function resource(
  key: KeyString,
  sync: ResourceStatus['sync'],
  health: ResourceStatus['health'],
  extra: Partial<ResourceStatus> = {},
): ResourceStatus {
  const [kind, name] = key.split('/') as [ResourceStatus['kind'], string];
  return {
    kind,
    name,
    key,
    sync,
    health,
    conditions: [],
    diff: [],
    lastAttemptedRevision: SHA,
    lastAppliedRevision: SHA,
    ...extra,
  };
}

function snapshot(
  resources: ResourceStatus[],
  overall: Partial<StatusSnapshot['overall']> = {},
): StatusSnapshot {
  return {
    overall: {
      instance: 'prod',
      source: {
        type: 'git',
        url: 'x',
        condition: { type: 'Ready', status: 'True', reason: 'r', message: 'm', lastTransitionTime: '' },
      },
      lastAttemptedRevision: SHA,
      counts: { sync: {}, health: {} },
      ready: true,
      ...overall,
    },
    resources,
  } as StatusSnapshot;
}

describe('commit status summary', () => {
  it('given a rollout in progress, a failed resource, a rejected revision and a converged fleet, when summarized, then pending, failure, failure and success', () => {
    expect(
      summarize(
        snapshot([
          resource('TaskDefinition/web', 'Synced', 'Healthy'),
          resource('Service/web', 'Synced', 'Progressing'),
        ]),
      ),
    ).toEqual({
      revision: SHA,
      state: 'pending',
      description: '2 updated, Service/web rolling out',
    });
    expect(
      summarize(
        snapshot([
          resource('TaskDefinition/web', 'Failed', 'Healthy', {
            lastError: { code: 'PreflightFailed', message: 'preflight failed: image x not found', at: '' },
          }),
        ]),
      ),
    ).toEqual({
      revision: SHA,
      state: 'failure',
      description: 'TaskDefinition/web: PreflightFailed: preflight failed: image x not found',
      resource: 'TaskDefinition/web',
    });
    expect(
      summarize(
        snapshot([], { rejectedRevision: { revision: SHA, problems: ['web.yaml:3:1: bad'], at: '' } }),
      ),
    ).toMatchObject({
      state: 'failure',
      description: 'rejected: 1 problem(s) in the manifests: web.yaml:3:1: bad',
    });
    expect(
      summarize(snapshot([resource('Service/web', 'Synced', 'Healthy')], { lastAppliedRevision: SHA })),
    ).toEqual({
      revision: SHA,
      state: 'success',
      description: '1 resource(s) synced and healthy (1 updated)',
    });
    // a plain folder's content hash is no commit
    expect(summarize(snapshot([], { lastAttemptedRevision: 'sha256:abc' }))).toBeUndefined();
  });

  it('given a pass that started writing a new commit while the last one had failed, when summarized, then the new commit is pending with what is being applied', () => {
    const next = 'b'.repeat(40);
    const failedBefore = resource('TaskDefinition/web', 'OutOfSync', 'Healthy', {
      lastError: { code: 'PreflightFailed', message: 'image x not found', at: '' },
    });
    expect(
      summarize(
        snapshot([failedBefore], {
          passInProgress: {
            phase: 'apply',
            revision: next,
            startedAt: '',
            resources: ['TaskDefinition/web', 'Service/web'],
          },
        }),
      ),
    ).toEqual({
      revision: next,
      state: 'pending',
      description: 'applying 2 change(s): TaskDefinition/web, Service/web',
    });
  });
});

describe('git host from the remote URL', () => {
  it('given GitHub, GitLab and other remotes, when resolved, then the host, API and project follow', () => {
    expect(parseRemote('git@github.com:acme/app.git')).toEqual({ hostname: 'github.com', path: 'acme/app' });
    expect(resolveTarget({ remote: 'https://github.com/acme/app.git' })).toEqual({
      host: 'github',
      apiUrl: 'https://api.github.com',
      project: 'acme/app',
    });
    expect(resolveTarget({ remote: 'ssh://git@gitlab.example.com/group/sub/app.git' })).toEqual({
      host: 'gitlab',
      apiUrl: 'https://gitlab.example.com/api/v4',
      project: 'group/sub/app',
    });
    expect(resolveTarget({ remote: 'https://git.example.com/acme/app.git' })).toBeUndefined();
    expect(
      resolveTarget({
        remote: '/tmp/repo',
        host: 'github',
        apiUrl: 'http://127.0.0.1:1/',
        project: 'acme/app',
      }),
    ).toEqual({
      host: 'github',
      apiUrl: 'http://127.0.0.1:1',
      project: 'acme/app',
    });
  });
});

describe('commit statuses over HTTP', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('given GitHub, when a revision goes pending then success, then two statuses with one context and a dashboard link are posted, repeats are not', async () => {
    const github = await startFakeGitHost('github', 'ghp_token');
    cleanups.push(github.close);
    const { logger } = captureLogger();
    const reporter = createCommitStatusReporter({
      target: { host: 'github', apiUrl: github.url, project: 'acme/app' },
      token: 'ghp_token',
      context: 'ecs-gitops/prod',
      externalUrl: 'https://gitops.example.com/',
      logger,
    });

    const rolling = snapshot([resource('Service/web', 'Synced', 'Progressing')]);
    reporter.update(rolling);
    reporter.update(rolling);
    reporter.update(snapshot([resource('Service/web', 'Synced', 'Healthy')], { lastAppliedRevision: SHA }));
    await reporter.close();

    expect(github.refused).toEqual([]);
    expect(github.statuses).toEqual([
      {
        sha: SHA,
        project: 'acme/app',
        state: 'pending',
        description: '1 updated, Service/web rolling out',
        context: 'ecs-gitops/prod',
        targetUrl: 'https://gitops.example.com/',
      },
      {
        sha: SHA,
        project: 'acme/app',
        state: 'success',
        description: '1 resource(s) synced and healthy (1 updated)',
        context: 'ecs-gitops/prod',
        targetUrl: 'https://gitops.example.com/',
      },
    ]);
  });

  it('given GitHub rate limits (primary and secondary) and a 502, when a status is posted, then it waits as told and delivers it once', async () => {
    const github = await startFakeGitHost('github', 'ghp_token');
    cleanups.push(github.close);
    github.script = ['rate-limit', 'secondary', 502];
    const { logger } = captureLogger();
    const reporter = createCommitStatusReporter({
      target: { host: 'github', apiUrl: github.url, project: 'acme/app' },
      token: 'ghp_token',
      context: 'ecs-gitops/prod',
      logger,
      initialDelayMs: 1,
    });
    reporter.update(snapshot([resource('Service/web', 'Synced', 'Progressing')]));
    await reporter.close();
    expect(github.statuses.map((s) => s.state)).toEqual(['pending']);
    expect(github.refused.map((r) => r.status)).toEqual([403, 403, 502]);
  }, 20_000);

  it('given GitLab, when a revision fails, then the status is "failed" under the context name with a long description clipped to 140 characters', async () => {
    const gitlab = await startFakeGitHost('gitlab', 'glpat-token');
    cleanups.push(gitlab.close);
    const { logger } = captureLogger();
    const reporter = createCommitStatusReporter({
      target: { host: 'gitlab', apiUrl: gitlab.url, project: 'group/sub/app' },
      token: 'glpat-token',
      context: 'ecs-gitops/prod',
      externalUrl: 'https://gitops.example.com',
      logger,
    });
    reporter.update(
      snapshot([
        resource('TaskDefinition/web', 'Failed', 'Healthy', {
          lastError: { code: 'PreflightFailed', message: `preflight failed: ${'x'.repeat(300)}`, at: '' },
        }),
      ]),
    );
    await reporter.close();
    expect(gitlab.refused).toEqual([]);
    expect(gitlab.statuses).toHaveLength(1);
    expect(gitlab.statuses[0]).toMatchObject({
      project: 'group/sub/app',
      state: 'failed',
      context: 'ecs-gitops/prod',
      targetUrl: 'https://gitops.example.com/#/TaskDefinition/web',
    });
    expect(gitlab.statuses[0]!.description).toHaveLength(140);
  });

  it('given a wrong token, when GitHub answers 401, then the status is not retried and the refusal is logged', async () => {
    const github = await startFakeGitHost('github', 'right');
    cleanups.push(github.close);
    const { logger, lines } = captureLogger();
    const reporter = createCommitStatusReporter({
      target: { host: 'github', apiUrl: github.url, project: 'acme/app' },
      token: 'wrong',
      context: 'ecs-gitops/prod',
      logger,
      initialDelayMs: 1,
    });
    reporter.update(snapshot([resource('Service/web', 'Synced', 'Progressing')]));
    await reporter.close();
    expect(github.refused).toEqual([{ status: 401, message: '{"message":"Bad credentials"}' }]);
    expect(
      lines.some((l) => String(l.msg).includes('github commit status refused the alert (HTTP 401)')),
    ).toBe(true);
  });
});

describe('commit status flags', () => {
  it('given `run --commit-status ...` on the command line, when parsed, then the config carries them; a bad mode is refused', async () => {
    const { Command } = await import('commander');
    const { addRunOptions, resolveConfig } = await import('../../controller/config.js');
    const command = addRunOptions(new Command('run')).exitOverride();
    command.parse(
      [
        '--commit-status',
        'gitlab',
        '--commit-status-api-url',
        'https://git.example.com/api/v4',
        '--commit-status-repo',
        'g/p',
      ],
      { from: 'user' },
    );
    const config = resolveConfig(command.opts(), { ECS_GITOPS_COMMIT_STATUS_TOKEN: 't' });
    expect(config).toMatchObject({
      commitStatus: 'gitlab',
      commitStatusApiUrl: 'https://git.example.com/api/v4',
      commitStatusRepo: 'g/p',
      commitStatusToken: 't',
    });
    // one target of several posts under its own context
    const { logger } = captureLogger('info');
    const github = resolveConfig(
      { repo: 'https://github.com/acme/shop.git', instance: 'ops' },
      {
        ECS_GITOPS_GIT_TOKEN: 't',
      },
    );
    const { commitStatusFromConfig } = await import('../../controller/commit-status/index.js');
    const perTarget = commitStatusFromConfig(github, logger, 'prod-eu');
    expect(perTarget?.context).toBe('ecs-gitops/ops/prod-eu');
    expect(commitStatusFromConfig(github, logger)?.context).toBe('ecs-gitops/ops');
    await perTarget?.close();
    expect(() => resolveConfig({ commitStatus: 'bitbucket' }, {})).toThrow(
      'invalid --commit-status "bitbucket"',
    );
  });
});
