// One way to run git for the whole controller: simple-git with a controlled environment.
// Credentials travel only in the child's environment (GIT_CONFIG_* / GIT_SSH_COMMAND), so they are
// never written to a repository's config, never on a command line and never in a log line.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type SimpleGitOptions, simpleGit } from 'simple-git';

export interface GitAuth {
  /** Token for https remotes, sent as an HTTP Authorization header. */
  readonly token?: string;
  /**
   * User and password that were written into an https URL (`https://user:pw@host/x.git`). The URL
   * git sees has them removed (a URL is part of git's command line, and of its helpers': any user of
   * the machine can read it in the process list); they travel as an Authorization header instead.
   */
  readonly basic?: { readonly username: string; readonly password: string };
  readonly sshKeyFile?: string;
  readonly knownHostsFile?: string;
  /** A full ssh command (overrides sshKeyFile/knownHostsFile). */
  readonly sshCommand?: string;
}

export interface GitRunOptions {
  readonly cwd: string;
  readonly auth?: GitAuth;
  /** Extra environment (GIT_INDEX_FILE, GIT_AUTHOR_NAME, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Text fed to the command's stdin. */
  readonly input?: string;
  /** Kill the command after this long (a hung remote must not hang the controller). */
  readonly timeoutMs?: number;
}

// Ambient variables worth keeping; everything else (EDITOR, PAGER, stray GIT_*) is dropped so the
// user's shell cannot change what git does inside the controller.
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'SSH_AUTH_SOCK',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SYSTEMROOT',
];

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** GIT_SSH_COMMAND for a key file and a known_hosts file (strict host checking whenever known_hosts is given). */
export function sshCommandFor(auth: GitAuth): string | undefined {
  if (auth.sshCommand) return auth.sshCommand;
  if (!auth.sshKeyFile && !auth.knownHostsFile) return undefined;
  const parts = ['ssh', '-o', 'BatchMode=yes'];
  if (auth.sshKeyFile) parts.push('-i', shellQuote(auth.sshKeyFile), '-o', 'IdentitiesOnly=yes');
  if (auth.knownHostsFile) {
    parts.push(
      '-o',
      `UserKnownHostsFile=${shellQuote(auth.knownHostsFile)}`,
      '-o',
      'StrictHostKeyChecking=yes',
    );
  }
  return parts.join(' ');
}

export function gitEnvironment(auth: GitAuth | undefined, extra: Readonly<Record<string, string>> = {}) {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  // Never wait for a password on a terminal nobody is looking at: fail and report instead.
  env.GIT_TERMINAL_PROMPT = '0';
  const config: Array<[string, string]> = [];
  // Credentials written into the URL are the more specific choice; the token is the general one.
  const basic = auth?.basic
    ? `${auth.basic.username}:${auth.basic.password}`
    : auth?.token
      ? `x-access-token:${auth.token}`
      : undefined;
  if (basic) {
    config.push(['http.extraHeader', `Authorization: Basic ${Buffer.from(basic).toString('base64')}`]);
  }
  // Predictable output for parsing, whatever the machine's configuration says.
  config.push(['advice.detachedHead', 'false']);
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(config.length);
  // BatchMode even without a key: ssh must fail, not wait for a host-key prompt on a terminal.
  env.GIT_SSH_COMMAND = (auth ? sshCommandFor(auth) : undefined) ?? 'ssh -o BatchMode=yes';
  return { ...env, ...extra };
}

/** Runs `git <args>` and returns stdout. Throws simple-git's GitError (message = git's stderr). */
export async function runGit(args: readonly string[], options: GitRunOptions): Promise<string> {
  const env = gitEnvironment(options.auth, options.env);
  const gitOptions: Partial<SimpleGitOptions> = {
    baseDir: options.cwd,
    maxConcurrentProcesses: 4,
    allowEnvironment: Object.keys(env).filter((name) => /^git_/i.test(name)),
    unsafe: {
      allowUnsafeConfigEnvCount: true,
      allowUnsafeSshCommand: true,
      allowUnsafeConfigPaths: true,
    },
    ...(options.timeoutMs ? { timeout: { block: options.timeoutMs } } : {}),
    ...(options.input !== undefined ? { input: () => options.input } : {}),
  };
  return simpleGit(gitOptions)
    .env(env)
    .raw([...args]);
}

/** `https://user:secret@host/x.git` → `https://host/x.git`, for logs and status. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
      return parsed.toString();
    }
  } catch {
    // Not a URL (a local path or scp-like ssh address): nothing to strip.
  }
  return url;
}

export interface GitRemote {
  /** What git is given: the fetch URL with any user:password removed. */
  readonly url: string;
  /** The caller's auth plus the credentials taken out of the URL. */
  readonly auth: GitAuth;
}

/**
 * The URL git may see and the credentials that must travel beside it. A password never stays in
 * the URL: for http(s) the user and password move to an Authorization header; for other schemes,
 * where no header can carry it, it is dropped (ssh never takes a password from a URL anyway). A
 * user name alone is not a secret and stays (git's own credential helpers may key on it).
 */
export function gitRemote(repo: string, cwd: string, auth: GitAuth = {}): GitRemote {
  const url = fetchUrlFor(repo, cwd);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, auth };
  }
  if (!parsed.password) return { url, auth };
  const basic = { username: safeDecode(parsed.username), password: safeDecode(parsed.password) };
  const http = /^https?:$/.test(parsed.protocol);
  parsed.password = '';
  if (http) parsed.username = '';
  return { url: parsed.toString(), auth: http ? { ...auth, basic } : auth };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Removes every secret of `auth` from a text (git's stderr, an error message) before it is shown. */
export function redactAuth(text: string, auth: GitAuth | undefined): string {
  let result = text;
  for (const secret of [auth?.token, auth?.basic?.password]) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      result = result.split(form).join('[redacted]');
  }
  return result;
}

/** True for a URL (`https://`, `ssh://`, `file://`) or an scp-like address (`git@host:org/repo`). */
export function isRemoteUrl(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\\]+@[^/\\]+:/.test(repo);
}

/** Resolves a local repository path to a file:// URL (so shallow clones work); remote URLs pass through. */
export function fetchUrlFor(repo: string, cwd: string): string {
  if (isRemoteUrl(repo)) return repo;
  return pathToFileURL(resolve(cwd, repo)).href;
}
