import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../controller/config.js';
import { SourceError } from '../../controller/errors.js';
import { silentLogger } from '../../controller/log.js';
import { createSource, type FolderSource } from '../../controller/source/index.js';
import { tempDir, waitFor, writeFiles } from '../helpers/git.js';

const CLUSTER = 'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';

describe('folder source', () => {
  let base: Awaited<ReturnType<typeof tempDir>>;
  let folder: string;
  const sources: FolderSource[] = [];

  beforeEach(async () => {
    base = await tempDir();
    folder = join(base.path, 'manifests');
    await writeFiles(folder, { 'cluster.yaml': CLUSTER });
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.close();
    await base.cleanup();
  });

  function open(path = folder, debounceMs = 100): FolderSource {
    const config: SourceConfig = { path, branch: 'main', dir: '.', cacheDir: base.path, pollMs: 1000 };
    const source = createSource(config, silentLogger(), { debounceMs }) as FolderSource;
    sources.push(source);
    return source;
  }

  it('given a folder, when fetched, then the revision is a content hash that only moves with the content', async () => {
    const source = open();
    const first = await source.fetch();
    expect(first.snapshot.revision).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(first.snapshot.root).toBe(folder);
    expect(first.snapshot.files.map((f) => f.path)).toEqual(['cluster.yaml']);
    expect(first.changed).toBe(true);
    expect((await source.fetch()).changed).toBe(false);
    expect(source.describe()).toEqual({ type: 'folder', url: folder, dir: folder });

    await writeFile(join(folder, 'cluster.yaml'), CLUSTER.replace('prod', 'staging'));
    const second = await source.fetch();
    expect(second.changed).toBe(true);
    expect(second.snapshot.revision).not.toBe(first.snapshot.revision);

    await writeFile(join(folder, 'cluster.yaml'), CLUSTER);
    expect((await source.fetch()).snapshot.revision).toBe(first.snapshot.revision);
  });

  it('given a watched folder, when several files are written in a burst, then onChange fires once after the debounce', async () => {
    // A debounce of 1 s: a loaded machine spaced the burst's writes (and the nested folder) past 100 ms.
    const source = open(folder, 1000);
    await source.fetch();
    let calls = 0;
    source.watch(() => {
      calls += 1;
    });
    await source.ready();

    // One burst, written together (sequential awaits let a loaded machine space them past the debounce).
    await writeFiles(folder, {
      'a.yaml': CLUSTER.replace('prod', 'a'),
      'b.yaml': CLUSTER.replace('prod', 'b'),
      'nested/c.yaml': CLUSTER.replace('prod', 'c'),
    });

    await waitFor(() => calls > 0, 5000);
    await new Promise((done) => setTimeout(done, 300));
    expect(calls).toBe(1);
    const { snapshot, changed } = await source.fetch();
    expect(changed).toBe(true);
    expect(snapshot.files.map((f) => f.path).sort()).toEqual([
      'a.yaml',
      'b.yaml',
      'cluster.yaml',
      'nested/c.yaml',
    ]);
  });

  it('given a watched folder, when a file is touched without changing content, then onChange does not fire', async () => {
    const source = open();
    await source.fetch();
    let calls = 0;
    source.watch(() => {
      calls += 1;
    });
    await source.ready();
    await writeFile(join(folder, 'cluster.yaml'), CLUSTER);
    await new Promise((done) => setTimeout(done, 500));
    expect(calls).toBe(0);
  });

  it('given the folder disappears, when fetched, then PathNotFound is reported instead of an empty revision', async () => {
    const source = open();
    await source.fetch();
    await rm(folder, { recursive: true });

    const error = await source.fetch().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SourceError);
    expect(source.status().condition).toMatchObject({
      type: 'Source',
      status: 'False',
      reason: 'PathNotFound',
    });
  });
});
