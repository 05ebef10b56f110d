// Flags + environment → one typed Config. Every flag has an ECS_GITOPS_* variable; defaults live here only.
import { type Command, Option } from 'commander';
import { parseEventList } from './alerts/event-filter.js';
import { ConfigError } from './errors.js';
import type { EventType } from './status/model.js';
import type { DriftPolicy } from './types.js';

/** `markdown`: the plan as a pull request comment (diff, apply --dry-run). */
export type OutputFormat = 'text' | 'json' | 'markdown';

export interface SourceConfig {
  /** A plain folder of manifests (no Git). Mutually exclusive with `repo`. */
  readonly path?: string;
  /** A Git remote URL or a local repository path. */
  readonly repo?: string;
  readonly branch: string;
  /** Subfolder of the repository holding the manifests. */
  readonly dir: string;
  /** Token for https remotes (never logged). */
  readonly gitToken?: string;
  readonly sshKeyFile?: string;
  readonly knownHostsFile?: string;
  /** Where clones are cached. */
  readonly cacheDir: string;
  readonly pollMs: number;
}

export interface AwsConfig {
  readonly region: string;
  readonly endpointUrl?: string;
  /** Upper bound of SDK attempts per call (adaptive retry). */
  readonly maxAttempts: number;
  /**
   * How long one HTTP attempt may wait for an answer (`--aws-timeout`): an endpoint that accepts the
   * connection and never answers must fail the attempt (and be retried), not hang the pass forever.
   */
  readonly requestTimeoutMs?: number;
}

export interface Config {
  readonly source: SourceConfig;
  readonly aws: AwsConfig;
  /** Name of this controller instance: the value of the ecs-gitops/managed-by tag. */
  readonly instance: string;
  readonly output: OutputFormat;
  readonly prune: boolean;
  /** Largest share of owned resources one pass may delete without confirmation (0..1), or an absolute count. */
  readonly pruneMax:
    | { readonly kind: 'ratio'; readonly value: number }
    | { readonly kind: 'count'; readonly value: number };
  readonly pruneConfirm: boolean;
  readonly drift: DriftPolicy;
  readonly resyncMs: number;
  readonly listen: { readonly host: string; readonly port: number };
  /** Host names the HTTP server answers to besides localhost and IP literals (DNS rebinding defence). */
  readonly allowedHosts?: readonly string[];
  readonly statusBranch: string;
  /** Write status to the Git branch (off for plain folders). */
  readonly statusWrite: boolean;
  readonly webhookUrl?: string;
  readonly webhookSecret?: string;
  readonly slackWebhookUrl?: string;
  /** Microsoft Teams Workflows webhook (Adaptive Cards). */
  readonly teamsWebhookUrl?: string;
  /** PagerDuty Events API v2 integration key (environment only: it is a secret). */
  readonly pagerdutyRoutingKey?: string;
  /** Events API endpoint (default PagerDuty's global one; EU accounts use events.eu.pagerduty.com). */
  readonly pagerdutyUrl?: string;
  /** Commit statuses: `auto` (from the remote URL when a token is set), a host, or `off`. */
  readonly commitStatus: 'auto' | 'github' | 'gitlab' | 'off';
  readonly commitStatusApiUrl?: string;
  /** `owner/repo` / `group/project` when the remote URL does not say (mirrors, local clones). */
  readonly commitStatusRepo?: string;
  /** Token for statuses when it is not ECS_GITOPS_GIT_TOKEN (environment only). */
  readonly commitStatusToken?: string;
  /** Run preflight checks before registering a changed task definition (`--no-preflight` turns them off). */
  readonly preflight: boolean;
  /** EventBridge bus (name or ARN) that receives every alert as an event. */
  readonly eventBus?: string;
  /** Which alert types each sink receives (`all` = the default for sinks without their own list). */
  readonly alertEvents: AlertEventFilters;
  /** Where people reach this controller's dashboard (links in alerts and commit statuses). */
  readonly externalUrl?: string;
  /** Shared secret for POST /hooks/git (GitHub HMAC or GitLab token). */
  readonly gitWebhookSecret?: string;
  /** Bearer token required by POST /api/sync when set. */
  readonly apiToken?: string;
  readonly waitTimeoutMs: number;
  readonly logLevel: string;
  readonly logFormat: 'json' | 'pretty' | 'auto';
}

export type AlertSink = 'webhook' | 'slack' | 'teams' | 'pagerduty' | 'eventbridge';
export const ALERT_SINKS: readonly AlertSink[] = ['webhook', 'slack', 'teams', 'pagerduty', 'eventbridge'];

/** Event filters: `all` applies to every sink without its own list; absent = every event. */
export type AlertEventFilters = Readonly<Partial<Record<AlertSink | 'all', ReadonlySet<EventType>>>>;

export const DEFAULTS = {
  branch: 'main',
  dir: '.',
  region: 'us-east-1',
  instance: 'ecs-gitops',
  poll: '15s',
  resync: '60s',
  listen: '127.0.0.1:8080',
  statusBranch: 'ecs-gitops/status',
  pruneMax: '25%',
  drift: 'alert' as DriftPolicy,
  waitTimeout: '10m',
  maxAttempts: 5,
  awsTimeout: '30s',
  cacheDir: '.ecs-gitops/cache',
  logLevel: 'info',
} as const;

/** `15s`, `2m`, `1h`, `500ms`, or a bare number of seconds → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new ConfigError(`invalid duration "${text}" (use e.g. 500ms, 15s, 2m, 1h)`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(value * factor);
}

function positiveDuration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms <= 0) throw new ConfigError(`invalid --${flag} "${text}": must be more than 0`);
  return ms;
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(.*):)?(\d+)$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`invalid --listen "${text}" (use HOST:PORT, e.g. 0.0.0.0:8080)`);
  }
  const host = (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { host, port };
}

/**
 * `--allowed-hosts gitops.internal.example,ecs-gitops.local`: exact DNS names, no ports, no
 * wildcards (a wildcard would let any sub-name an attacker controls be rebound).
 */
export function parseAllowedHosts(text: string): readonly string[] {
  const names = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(name)) {
      throw new ConfigError(
        `invalid --allowed-hosts name "${name}" (use exact host names separated by commas, e.g. gitops.example.com)`,
      );
    }
  }
  return names;
}

export function parsePruneMax(text: string): Config['pruneMax'] {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (percent) {
    const value = Number(percent[1]) / 100;
    if (value > 1) throw new ConfigError(`invalid --prune-max "${text}": a percentage must be <= 100%`);
    return { kind: 'ratio', value };
  }
  const count = Number(text);
  if (Number.isInteger(count) && count >= 0) return { kind: 'count', value: count };
  throw new ConfigError(`invalid --prune-max "${text}" (use a percentage like 25% or a count like 3)`);
}

/** The most resources one pass may delete without --prune-confirm: at least 1. */
export function pruneLimit(pruneMax: Config['pruneMax'], ownedCount: number): number {
  const limit = pruneMax.kind === 'count' ? pruneMax.value : Math.floor(ownedCount * pruneMax.value);
  return Math.max(1, limit);
}

function parseDrift(text: string): DriftPolicy {
  if (text === 'alert' || text === 'heal' || text === 'ignore') return text;
  throw new ConfigError(`invalid --drift "${text}" (use alert, heal or ignore)`);
}

function envName(flag: string): string {
  return `ECS_GITOPS_${flag.replace(/-/g, '_').toUpperCase()}`;
}

function option(flags: string, description: string, envFlag: string): Option {
  return new Option(flags, description).env(envName(envFlag));
}

/** --path / --repo / --branch / --dir and Git credentials. */
export function addSourceOptions(command: Command): Command {
  return command
    .addOption(option('--path <dir>', 'a folder of manifests (no Git needed)', 'path'))
    .addOption(option('--repo <url|dir>', 'Git remote URL or local repository', 'repo'))
    .addOption(option('--branch <name>', `Git branch (default ${DEFAULTS.branch})`, 'branch'))
    .addOption(option('--dir <subdir>', 'subfolder of the repository with the manifests', 'dir'))
    .addOption(option('--ssh-key-file <file>', 'private key for ssh remotes', 'ssh-key-file'))
    .addOption(option('--known-hosts-file <file>', 'known_hosts for ssh remotes', 'known-hosts-file'))
    .addOption(option('--cache-dir <dir>', `clone cache (default ${DEFAULTS.cacheDir})`, 'cache-dir'))
    .addOption(option('--poll <duration>', `Git poll interval (default ${DEFAULTS.poll})`, 'poll'));
}

/** --region / --endpoint-url / --instance / --output. */
export function addAwsOptions(command: Command): Command {
  return command
    .addOption(option('--region <region>', 'AWS region (default AWS_REGION, then us-east-1)', 'region'))
    .addOption(
      option(
        '--endpoint-url <url>',
        'ECS / Application Auto Scaling endpoint (e.g. the emulator)',
        'endpoint-url',
      ),
    )
    .addOption(
      option(
        '--aws-timeout <duration>',
        `longest wait for one AWS answer before the attempt is retried (default ${DEFAULTS.awsTimeout})`,
        'aws-timeout',
      ),
    )
    .addOption(
      option('--instance <name>', `controller instance name (default ${DEFAULTS.instance})`, 'instance'),
    )
    .addOption(
      option('--output <format>', 'text, json or markdown', 'output').choices(['text', 'json', 'markdown']),
    );
}

/** --prune / --prune-max / --prune-confirm / --drift. */
export function addReconcileOptions(command: Command): Command {
  return command
    .addOption(option('--prune', 'delete owned resources that left Git', 'prune'))
    .addOption(
      option(
        '--prune-max <n|pct>',
        'most deletions per pass without --prune-confirm (default 25%)',
        'prune-max',
      ),
    )
    .addOption(option('--prune-confirm', 'allow a pass to delete more than --prune-max', 'prune-confirm'))
    .addOption(option('--drift <policy>', 'alert | heal | ignore (default alert)', 'drift'));
}

/** `--no-preflight`: `run` (before applying) and `diff` (in its output) check images, roles, … */
export function addPreflightOption(command: Command): Command {
  return command.addOption(
    option(
      '--no-preflight',
      'skip the preflight checks (images, secrets, log groups, roles, target groups) of what would be written',
      'preflight',
    ),
  );
}

/** Options of the long-running controller. */
export function addRunOptions(command: Command): Command {
  return addPreflightOption(command)
    .addOption(option('--resync <duration>', `full resync interval (default ${DEFAULTS.resync})`, 'resync'))
    .addOption(option('--listen <addr:port>', `HTTP listen address (default ${DEFAULTS.listen})`, 'listen'))
    .addOption(
      option(
        '--allowed-hosts <names>',
        'comma-separated host names the HTTP server answers to besides localhost and IP addresses',
        'allowed-hosts',
      ),
    )
    .addOption(
      option('--status-branch <name>', `status branch (default ${DEFAULTS.statusBranch})`, 'status-branch'),
    )
    .addOption(option('--no-status-write', 'do not write the status branch', 'status-write'))
    .addOption(option('--webhook-url <url>', 'JSON alert webhook (HMAC-signed)', 'webhook-url'))
    .addOption(option('--slack-webhook-url <url>', 'Slack incoming webhook', 'slack-webhook-url'))
    .addOption(option('--teams-webhook-url <url>', 'Microsoft Teams Workflows webhook', 'teams-webhook-url'))
    .addOption(
      option(
        '--commit-status <mode>',
        'commit statuses: auto | github | gitlab | off (default auto)',
        'commit-status',
      ),
    )
    .addOption(
      option(
        '--commit-status-api-url <url>',
        'GitHub / GitLab API base (Enterprise, self-hosted)',
        'commit-status-api-url',
      ),
    )
    .addOption(
      option('--commit-status-repo <path>', 'owner/repo or group/project for statuses', 'commit-status-repo'),
    )
    .addOption(option('--event-bus <name|arn>', 'EventBridge bus to put alerts on (PutEvents)', 'event-bus'))
    .addOption(
      option('--eventbridge-events <list>', 'alert types put on the event bus', 'eventbridge-events'),
    )
    .addOption(
      option('--pagerduty-url <url>', 'PagerDuty Events API v2 endpoint (default global)', 'pagerduty-url'),
    )
    .addOption(
      option(
        '--alert-events <list>',
        'alert types every sink sends (e.g. RolloutFailed,DriftDetected)',
        'alert-events',
      ),
    )
    .addOption(option('--webhook-events <list>', 'alert types the JSON webhook sends', 'webhook-events'))
    .addOption(option('--slack-events <list>', 'alert types Slack sends', 'slack-events'))
    .addOption(option('--teams-events <list>', 'alert types Teams sends', 'teams-events'))
    .addOption(
      option(
        '--pagerduty-events <list>',
        'alert types that trigger PagerDuty (default RolloutFailed,SyncFailed,HealthDegraded)',
        'pagerduty-events',
      ),
    )
    .addOption(
      option('--external-url <url>', "the dashboard's public URL, for links in alerts", 'external-url'),
    )
    .addOption(option('--log-level <level>', 'trace | debug | info | warn | error', 'log-level'))
    .addOption(
      option('--log-format <format>', 'json | pretty | auto', 'log-format').choices([
        'json',
        'pretty',
        'auto',
      ]),
    );
}

type Raw = Record<string, unknown>;

function alertEventFilters(raw: Raw): AlertEventFilters {
  const filters: Partial<Record<AlertSink | 'all', ReadonlySet<EventType>>> = {};
  const all = str(raw, 'alertEvents');
  if (all) filters.all = parseEventList(all, '--alert-events');
  for (const sink of ALERT_SINKS) {
    const list = str(raw, `${sink}Events`);
    if (list) filters[sink] = parseEventList(list, `--${sink}-events`);
  }
  return filters;
}

function url(raw: Raw, name: string, flag: string): string | undefined {
  const value = str(raw, name);
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(`invalid ${flag} "${value}" (use an http:// or https:// URL)`);
  }
  return value;
}

function str(raw: Raw, name: string): string | undefined {
  const value = raw[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function bool(raw: Raw, name: string): boolean {
  const value = raw[name];
  if (typeof value === 'string') return value === 'true' || value === '1' || value === 'yes';
  return value === true;
}

function parseCommitStatus(text: string): Config['commitStatus'] {
  if (text === 'auto' || text === 'github' || text === 'gitlab' || text === 'off') return text;
  throw new ConfigError(`invalid --commit-status "${text}" (use auto, github, gitlab or off)`);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * Turns commander's parsed options (already merged with ECS_GITOPS_* variables) into a Config.
 * Secrets come from the environment only, so they never show up in a process listing.
 */
export function resolveConfig(raw: Raw, env: NodeJS.ProcessEnv = process.env): Config {
  const path = str(raw, 'path');
  const repo = str(raw, 'repo');
  if (path && repo) throw new ConfigError('--path and --repo are mutually exclusive');
  const region = str(raw, 'region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? DEFAULTS.region;
  const output = (str(raw, 'output') ?? 'text') as OutputFormat;
  const statusWriteRaw = raw.statusWrite;
  const logFormat = (str(raw, 'logFormat') ?? 'auto') as Config['logFormat'];
  const endpointUrl = str(raw, 'endpointUrl');
  return {
    source: {
      ...(path ? { path } : {}),
      ...(repo ? { repo } : {}),
      branch: str(raw, 'branch') ?? DEFAULTS.branch,
      dir: str(raw, 'dir') ?? DEFAULTS.dir,
      ...(env.ECS_GITOPS_GIT_TOKEN ? { gitToken: env.ECS_GITOPS_GIT_TOKEN } : {}),
      ...optional('sshKeyFile', str(raw, 'sshKeyFile')),
      ...optional('knownHostsFile', str(raw, 'knownHostsFile')),
      cacheDir: str(raw, 'cacheDir') ?? DEFAULTS.cacheDir,
      pollMs: parseDuration(str(raw, 'poll') ?? DEFAULTS.poll),
    },
    aws: {
      region,
      ...(endpointUrl ? { endpointUrl } : {}),
      maxAttempts: DEFAULTS.maxAttempts,
      requestTimeoutMs: positiveDuration('aws-timeout', str(raw, 'awsTimeout') ?? DEFAULTS.awsTimeout),
    },
    instance: str(raw, 'instance') ?? DEFAULTS.instance,
    output,
    prune: bool(raw, 'prune'),
    pruneMax: parsePruneMax(str(raw, 'pruneMax') ?? DEFAULTS.pruneMax),
    pruneConfirm: bool(raw, 'pruneConfirm'),
    drift: parseDrift(str(raw, 'drift') ?? DEFAULTS.drift),
    resyncMs: parseDuration(str(raw, 'resync') ?? DEFAULTS.resync),
    listen: parseListen(str(raw, 'listen') ?? DEFAULTS.listen),
    ...(str(raw, 'allowedHosts') ? { allowedHosts: parseAllowedHosts(str(raw, 'allowedHosts') ?? '') } : {}),
    statusBranch: str(raw, 'statusBranch') ?? DEFAULTS.statusBranch,
    statusWrite: statusWriteRaw === undefined ? true : statusWriteRaw !== false && statusWriteRaw !== 'false',
    ...optional('webhookUrl', str(raw, 'webhookUrl')),
    ...(env.ECS_GITOPS_WEBHOOK_SECRET ? { webhookSecret: env.ECS_GITOPS_WEBHOOK_SECRET } : {}),
    ...optional('slackWebhookUrl', str(raw, 'slackWebhookUrl')),
    ...optional('teamsWebhookUrl', url(raw, 'teamsWebhookUrl', '--teams-webhook-url')),
    ...optional('pagerdutyRoutingKey', env.ECS_GITOPS_PAGERDUTY_ROUTING_KEY || undefined),
    ...optional('pagerdutyUrl', url(raw, 'pagerdutyUrl', '--pagerduty-url')),
    commitStatus: parseCommitStatus(str(raw, 'commitStatus') ?? 'auto'),
    ...optional('commitStatusApiUrl', url(raw, 'commitStatusApiUrl', '--commit-status-api-url')),
    ...optional('commitStatusRepo', str(raw, 'commitStatusRepo')),
    ...optional('commitStatusToken', env.ECS_GITOPS_COMMIT_STATUS_TOKEN || undefined),
    preflight: raw.preflight === undefined ? true : raw.preflight !== false && raw.preflight !== 'false',
    ...optional('eventBus', str(raw, 'eventBus')),
    alertEvents: alertEventFilters(raw),
    ...optional('externalUrl', url(raw, 'externalUrl', '--external-url')),
    ...(env.ECS_GITOPS_GIT_WEBHOOK_SECRET ? { gitWebhookSecret: env.ECS_GITOPS_GIT_WEBHOOK_SECRET } : {}),
    ...(env.ECS_GITOPS_API_TOKEN ? { apiToken: env.ECS_GITOPS_API_TOKEN } : {}),
    waitTimeoutMs: parseDuration(str(raw, 'waitTimeout') ?? DEFAULTS.waitTimeout),
    logLevel: str(raw, 'logLevel') ?? DEFAULTS.logLevel,
    logFormat,
  };
}
