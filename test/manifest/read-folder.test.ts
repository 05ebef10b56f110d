// Reading a manifest folder from disk: recursive, sorted, hidden entries skipped, symlinks confined.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../controller/errors.js';
import {
  contentRevision,
  loadManifestFolder,
  readManifestFolder,
} from '../../controller/source/read-folder.js';
import { CLUSTER, FLEET, SERVICE } from './helpers.js';

let dir: string;
let outside: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-folder-'));
  outside = await mkdtemp(join(tmpdir(), 'ecs-gitops-outside-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('readManifestFolder', () => {
  it('reads every .yaml and .yml file recursively, sorted, skipping hidden entries and other files', async () => {
    // given a nested folder with manifests, a README, a hidden folder and a hidden file
    await mkdir(join(dir, 'apps', 'web'), { recursive: true });
    await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
    await writeFile(join(dir, 'z.yml'), CLUSTER);
    await writeFile(join(dir, 'apps', 'web', 'service.yaml'), SERVICE);
    await writeFile(join(dir, 'apps', 'a.YAML'), '');
    await writeFile(join(dir, 'README.md'), '# docs');
    await writeFile(join(dir, '.github', 'workflows', 'ci.yaml'), 'on: push');
    await writeFile(join(dir, '.hidden.yaml'), 'x: 1');
    // when it is read
    const { files, problems } = await readManifestFolder(dir);
    // then only the manifests come back, '/'-separated and sorted
    expect(problems).toEqual([]);
    expect(files.map((file) => file.path)).toEqual(['apps/a.YAML', 'apps/web/service.yaml', 'z.yml']);
  });

  it('gives valid UTF-8 back as text (the parse keeps that string, not a second copy) and anything else as bytes', async () => {
    // given a plain file, one with a byte-order mark, and one that is not UTF-8
    await writeFile(join(dir, 'a.yaml'), CLUSTER);
    await writeFile(join(dir, 'b.yaml'), `\uFEFF${CLUSTER}`);
    await writeFile(join(dir, 'c.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    // when the folder is read
    const { files } = await readManifestFolder(dir);
    // then the text files are strings, the mark kept (the content hash is of the bytes as before)…
    const [plain, marked, binary] = files.map((file) => file.content);
    expect(plain).toBe(CLUSTER);
    expect(marked).toBe(`\uFEFF${CLUSTER}`);
    expect(contentRevision([{ path: 'b.yaml', content: marked ?? '' }])).toBe(
      contentRevision([{ path: 'b.yaml', content: Buffer.from(`\uFEFF${CLUSTER}`) }]),
    );
    // …and the other one is its bytes, which the load reports at its file instead of guessing
    expect(Buffer.isBuffer(binary)).toBe(true);
    const loaded = await loadManifestFolder(dir);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok)
      expect(loaded.problems.map(formatProblem)).toContain(
        'c.yaml:1:1: not a text file (invalid UTF-8); expected YAML',
      );
  });

  it('gives an unchanged file back with the text of the previous read', async () => {
    // given a folder read once
    await writeFile(join(dir, 'a.yaml'), CLUSTER);
    await writeFile(join(dir, 'b.yaml'), SERVICE);
    const first = await readManifestFolder(dir);
    // when one file changes and the folder is read again with the previous files
    await writeFile(join(dir, 'b.yaml'), `${SERVICE}# edited\n`);
    const second = await readManifestFolder(dir, { previous: first.files });
    // then each file has the content on disk now
    expect(second.files).toEqual([
      { path: 'a.yaml', content: CLUSTER },
      { path: 'b.yaml', content: `${SERVICE}# edited\n` },
    ]);
  });

  it('follows symlinks inside the folder but refuses one that leaves it', async () => {
    await writeFile(join(outside, 'secret.yaml'), CLUSTER);
    await mkdir(join(dir, 'real'));
    await writeFile(join(dir, 'real', 'fleet.yaml'), FLEET);
    await symlink(join(dir, 'real', 'fleet.yaml'), join(dir, 'alias.yaml'));
    await symlink(join(outside, 'secret.yaml'), join(dir, 'escape.yaml'));
    await symlink(outside, join(dir, 'escape-dir'));
    const { files, problems } = await readManifestFolder(dir);
    expect(files.map((file) => file.path)).toEqual(['alias.yaml', 'real/fleet.yaml']);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^escape-dir:1:1: symlink points outside the manifest folder \(to .+\); refused$/,
      ),
      expect.stringMatching(
        /^escape\.yaml:1:1: symlink points outside the manifest folder \(to .+secret\.yaml\); refused$/,
      ),
    ]);
  });

  it('survives a symlink loop', async () => {
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', 'c.yaml'), CLUSTER);
    await symlink(join(dir, 'a'), join(dir, 'a', 'loop'));
    const { files, problems } = await readManifestFolder(dir);
    expect(problems).toEqual([]);
    expect(files.map((file) => file.path)).toEqual(['a/c.yaml']);
  });

  it('reports a 10 MB file without reading it', async () => {
    await writeFile(join(dir, 'big.yaml'), Buffer.alloc(10 * 1024 * 1024, 0x61));
    const { files, problems } = await readManifestFolder(dir);
    expect(files).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      'big.yaml:1:1: file is too large (10.0 MB; the limit is 1.0 MB per manifest file)',
    ]);
  });

  it('reports a missing folder', async () => {
    const { problems } = await readManifestFolder(join(dir, 'nope'));
    expect(problems.map((problem) => problem.message)).toEqual(['no such folder']);
  });
});

describe('loadManifestFolder', () => {
  it('loads a valid folder with a content-hash revision that changes with the content', async () => {
    await writeFile(join(dir, 'fleet.yaml'), FLEET);
    const first = await loadManifestFolder(dir);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.desired.revision).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(first.desired.resources).toHaveLength(4);
    expect(
      (await loadManifestFolder(dir, 'abc123')).ok && (await loadManifestFolder(dir, 'abc123')),
    ).toMatchObject({
      desired: { revision: 'abc123' },
    });
    await writeFile(join(dir, 'fleet.yaml'), `${FLEET}# edited\n`);
    const second = await loadManifestFolder(dir);
    expect(second.ok && second.desired.revision).not.toBe(first.desired.revision);
  });

  it('fails the whole revision when a file cannot be taken, so nothing looks deleted', async () => {
    await writeFile(join(dir, 'fleet.yaml'), FLEET);
    await writeFile(join(outside, 'other.yaml'), CLUSTER);
    await symlink(join(outside, 'other.yaml'), join(dir, 'other.yaml'));
    const result = await loadManifestFolder(dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.location.file).toBe('other.yaml');
  });

  it('hashes paths and bytes unambiguously', () => {
    expect(contentRevision([{ path: 'a', content: 'bc' }])).not.toBe(
      contentRevision([{ path: 'ab', content: 'c' }]),
    );
    expect(contentRevision([{ path: 'a', content: 'x' }])).toBe(
      contentRevision([{ path: 'a', content: Buffer.from('x') }]),
    );
  });
});
