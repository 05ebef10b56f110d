// A plain folder as the source (no Git): watched with chokidar, debounced, revision = content hash.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { SourceConfig } from '../config.js';
import type { Logger } from '../log.js';
import { setCondition } from '../status/conditions.js';
import type { SourceStatus } from '../status/model.js';
import { contentRevision, readManifestFolder } from './read-folder.js';
import { findRepositoryRoot, isOverlayFolder, readOverlayFiles } from './read-overlay.js';
import { SourceFetchError } from './source-error.js';
import type { Snapshot, Source, SourceDescription, SourceOptions } from './types.js';

const DEFAULT_DEBOUNCE_MS = 300;
// Version-control and editor droppings never count as a change.
const IGNORED = /(^|[/\\])(\.git|node_modules)([/\\]|$)|(~|\.sw[px]|\.tmp)$/;

export class FolderSource implements Source {
  private readonly root: string;
  private readonly cwd: string;
  /** Folders outside `root` an overlay reads: watched as well. */
  private readonly watched = new Set<string>();
  private readonly debounceMs: number;
  private delivered?: string;
  /** The files of the last read: unchanged ones are given back as the strings already held. */
  private lastFiles: Snapshot['files'] = [];
  private state: SourceStatus;
  private readonly watchers = new Set<() => void>();
  private watcher: FSWatcher | undefined;
  private watcherReady: Promise<void> = Promise.resolve();
  private debounce: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    config: SourceConfig & { readonly path: string },
    private readonly logger: Logger,
    options: SourceOptions = {},
  ) {
    this.cwd = options.cwd ?? process.cwd();
    this.root = resolve(this.cwd, config.path);
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.state = {
      type: 'folder',
      url: this.root,
      condition: {
        type: 'Source',
        status: 'Unknown',
        reason: 'NotRead',
        message: 'not read yet',
        lastTransitionTime: new Date().toISOString(),
      },
    };
  }

  describe(): SourceDescription {
    return { type: 'folder', url: this.root, dir: this.root };
  }

  status(): SourceStatus {
    return this.state;
  }

  async fetch(): Promise<{ snapshot: Snapshot; changed: boolean }> {
    const now = new Date();
    try {
      const snapshot = await this.read();
      const changed = snapshot.revision !== this.delivered;
      this.delivered = snapshot.revision;
      const { lastFetchError: _dropped, ...rest } = this.state;
      this.state = {
        ...rest,
        revision: snapshot.revision,
        lastFetchAt: now.toISOString(),
        condition: setCondition(
          [this.state.condition],
          { type: 'Source', status: 'True', reason: 'Read', message: `read ${snapshot.files.length} files` },
          now,
        )[0]!,
      };
      return { snapshot, changed };
    } catch (error) {
      const failure =
        error instanceof SourceFetchError
          ? error
          : new SourceFetchError('FetchFailed', `cannot read ${this.root}: ${String(error)}`, {
              cause: error,
            });
      this.state = {
        ...this.state,
        lastFetchAt: now.toISOString(),
        lastFetchError: failure.message,
        condition: setCondition(
          [this.state.condition],
          { type: 'Source', status: 'False', reason: failure.reason, message: failure.message },
          now,
        )[0]!,
      };
      this.logger.warn({ source: this.root, reason: failure.reason }, `source: ${failure.message}`);
      throw failure;
    }
  }

  watch(onChange: () => void): () => void {
    this.watchers.add(onChange);
    if (!this.watcher && !this.closed) {
      this.watcher = chokidarWatch([this.root, ...this.watched], {
        ignoreInitial: true,
        ignored: (path) => IGNORED.test(path),
      });
      const watcher = this.watcher;
      this.watcherReady = new Promise((done) => watcher.once('ready', () => done()));
      this.watcher.on('all', () => this.changedOnDisk());
      this.watcher.on('error', (error) =>
        this.logger.warn({ source: this.root, error: String(error) }, 'source: folder watch error'),
      );
    }
    return () => {
      this.watchers.delete(onChange);
      if (this.watchers.size === 0) void this.stopWatching();
    };
  }

  trigger(): void {
    this.changedOnDisk();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watchers.clear();
    await this.stopWatching();
  }

  /** Resolves once the watcher has scanned the folder (events before that would be lost). */
  async ready(): Promise<void> {
    await this.watcherReady;
  }

  private async stopWatching(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.close();
  }

  private changedOnDisk(): void {
    if (this.closed || this.watchers.size === 0) return;
    // Editors write a file in several steps; one notification per burst of events.
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.notifyIfChanged();
    }, this.debounceMs);
  }

  private async notifyIfChanged(): Promise<void> {
    let revision: string | undefined;
    try {
      revision = (await this.read()).revision;
    } catch {
      revision = undefined; // Let fetch() report the failure.
    }
    if (revision !== undefined && revision === this.delivered) return;
    for (const watcher of [...this.watchers]) watcher();
  }

  private async read(): Promise<Snapshot> {
    const isDirectory = await stat(this.root).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDirectory) throw new SourceFetchError('PathNotFound', `folder ${this.root} does not exist`);
    const { files, problems } = await readManifestFolder(this.root, { previous: this.lastFiles });
    this.lastFiles = files;
    if (await isOverlayFolder(this.root)) {
      // The revision covers every file the overlay reads, and those folders are watched too.
      const repository = await findRepositoryRoot(this.root, this.cwd);
      const overlay = await readOverlayFiles(repository, this.root);
      const outside = overlay.folders.filter((folder) => !this.watched.has(folder));
      for (const folder of outside) this.watched.add(folder);
      if (outside.length > 0) this.watcher?.add(outside);
      const { folders: _folders, ...rest } = overlay;
      return { revision: contentRevision(overlay.files), root: this.root, files, problems, overlay: rest };
    }
    return { revision: contentRevision(files), root: this.root, files, problems };
  }
}
