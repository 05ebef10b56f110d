// The state file: atomic writes (temp file, fsync, rename) so a crash never leaves half a file,
// and a loud error for a file that cannot be read back — never a silent reset.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type EmulatorState, STATE_VERSION } from '../state.js';
import { checkRegions } from './state-shape.js';

export class StateFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `emulator state file ${file} cannot be used: ${reason}. It was left untouched; fix it, or move it away to start with an empty state.`,
      options,
    );
    this.name = 'StateFileError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the state file; undefined when it does not exist. Throws StateFileError when unusable. */
export function loadStateFile(file: string): EmulatorState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(file, `it cannot be read (${(error as Error).message})`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, `it is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isObject(parsed)) throw new StateFileError(file, 'it does not hold a JSON object');
  if (parsed.version !== STATE_VERSION) {
    throw new StateFileError(
      file,
      `unsupported state version ${JSON.stringify(parsed.version)} (expected ${STATE_VERSION})`,
    );
  }
  if (
    typeof parsed.accountId !== 'string' ||
    typeof parsed.clockMs !== 'number' ||
    !isObject(parsed.regions)
  ) {
    throw new StateFileError(file, 'it lacks accountId, clockMs or regions');
  }
  const problem = checkRegions(parsed.regions);
  if (problem) throw new StateFileError(file, `its content is malformed at ${problem}`);
  return parsed as unknown as EmulatorState;
}

function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Atomically replaces `file` with `text`. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = tempName(file);
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export function writeFileAtomicSync(file: string, text: string): void {
  const temp = tempName(file);
  try {
    const fd = openSync(temp, 'w', 0o644);
    try {
      writeSync(fd, text, null, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Writes the state after changes, coalescing bursts (one write per `delayMs`), one write at a time.
 * `flush()` writes now (used on close).
 */
export class StatePersister {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private pending = false;
  lastError: Error | undefined;

  constructor(
    readonly file: string,
    private readonly snapshot: () => EmulatorState,
    private readonly delayMs = 25,
  ) {}

  schedule(): void {
    this.pending = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writing = this.writing.then(async () => {
      if (!this.pending) return;
      this.pending = false;
      try {
        await writeFileAtomic(this.file, JSON.stringify(this.snapshot()));
        this.lastError = undefined;
      } catch (error) {
        this.lastError = error as Error;
        process.stderr.write(`emulator: cannot write state file ${this.file}: ${(error as Error).message}\n`);
      }
    });
    return this.writing;
  }

  /** Synchronous final write (signal handlers, process exit). */
  flushSync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    writeFileAtomicSync(this.file, JSON.stringify(this.snapshot()));
  }
}
