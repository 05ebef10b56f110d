// git's stderr → a stable reason for the Source condition. The texts are git's own (2.3x);
// anything unrecognised stays a generic FetchFailed rather than a guess.
import { errorMessage } from '../errors.js';

export type SourceFailureReason =
  | 'RemoteUnreachable'
  | 'AuthenticationFailed'
  | 'HostKeyVerificationFailed'
  | 'BranchNotFound'
  | 'CacheCorrupt'
  | 'PathNotFound'
  | 'FetchFailed';

const PATTERNS: ReadonlyArray<readonly [SourceFailureReason, RegExp]> = [
  ['HostKeyVerificationFailed', /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i],
  [
    'AuthenticationFailed',
    /Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 40[13]|HTTP 40[13]|Permission denied \(publickey|invalid credentials|Invalid username or password/i,
  ],
  ['BranchNotFound', /couldn't find remote ref|Remote branch .* not found|not our ref/i],
  [
    'CacheCorrupt',
    /not a git repository(?! \(or any)|bad object|corrupt|unable to read|invalid object|object file .* is empty|broken link|missing (blob|tree|commit)|index file smaller than expected|bad signature|unknown index entry format|fatal: bad (default )?revision|HEAD is not a symbolic ref|loose object/i,
  ],
  [
    'RemoteUnreachable',
    /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Could not read from remote repository|does not appear to be a git repository|unable to access|Network is unreachable|timed out|repository .* not found|The remote end hung up|block timeout/i,
  ],
];

/** The reason for a failed git command, judged from its message. */
export function classifyGitError(error: unknown): SourceFailureReason {
  const text = errorMessage(error);
  for (const [reason, pattern] of PATTERNS) if (pattern.test(text)) return reason;
  return 'FetchFailed';
}

/** git's stderr minus hints and blank lines, on one line, short enough for a status message. */
export function summarizeGitError(error: unknown): string {
  const lines = errorMessage(error)
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) => line !== '' && !line.startsWith('hint:') && !/^(Please make sure|Cloning into)/.test(line),
    )
    .filter((line) => !/^and the repository exists\.?$/.test(line));
  const text = lines.join('; ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
