// Watches the machine's process list (/proc/*/cmdline) the way another local user could, to prove
// that no secret ever appears on a command line (ours, git's, or git's helpers').
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessListWatch {
  /** Every distinct command line seen that matched the filter. */
  readonly seen: ReadonlySet<string>;
  stop(): Promise<void>;
}

/** Samples every `intervalMs` (default 5 ms) and keeps the command lines for which `keep` is true. */
export function watchProcessList(keep: (cmdline: string) => boolean, intervalMs = 5): ProcessListWatch {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
      await Promise.all(
        pids.map(async (pid) => {
          const raw = await readFile(`/proc/${pid}/cmdline`).catch(() => undefined);
          if (!raw || raw.length === 0) return;
          const cmdline = raw.toString('utf8').split('\0').join(' ').trim();
          if (keep(cmdline)) seen.add(cmdline);
        }),
      );
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** True on Linux, where /proc exposes other processes' command lines. */
export const HAS_PROC = process.platform === 'linux';
