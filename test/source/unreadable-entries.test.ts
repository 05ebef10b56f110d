// Entries of a manifest folder the loader cannot read as manifests are problems, not "fewer
// resources" (issue 11, defect 2): LFS pointers, FIFOs named like manifests, gitlinks in the tree.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitlinksUnder } from '../../controller/source/gitlinks.js';
import { readManifestFolder } from '../../controller/source/read-folder.js';
import { tempDir } from '../helpers/git.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function folder(): Promise<string> {
  const dir = await tempDir('unreadable-entries-');
  cleanup = dir.cleanup;
  return dir.path;
}

describe('unreadable entries of a manifest folder', () => {
  it('given an LFS pointer named web.yaml, then it is a problem naming the file, not an empty manifest', async () => {
    const dir = await folder();
    await writeFile(
      join(dir, 'web.yaml'),
      'version https://git-lfs.github.com/spec/v1\noid sha256:0123456789abcdef\nsize 10\n',
    );
    const { files, problems } = await readManifestFolder(dir);
    expect(files).toEqual([]);
    expect(problems.map((p) => `${p.location.file}: ${p.message}`)).toEqual([
      expect.stringMatching(/^web\.yaml: is a Git LFS pointer/),
    ]);
  });

  it('given a named pipe called jobs.yaml, then it is refused as not a regular file (and reading does not block)', async () => {
    const dir = await folder();
    execFileSync('mkfifo', [join(dir, 'jobs.yaml')]);
    const { problems } = await readManifestFolder(dir);
    expect(problems.map((p) => `${p.location.file}: ${p.message}`)).toEqual([
      'jobs.yaml: is not a regular file (a named pipe); refused',
    ]);
  });

  it('given ls-tree output, then only gitlinks under the folder are found, relative to it, hidden ones left out', () => {
    const listing = [
      '100644 blob 1111111111111111111111111111111111111111\tmanifests/web.yaml',
      '160000 commit 2222222222222222222222222222222222222222\tmanifests/team',
      '160000 commit 3333333333333333333333333333333333333333\tvendor/lib',
      '160000 commit 4444444444444444444444444444444444444444\tmanifests/.cache/x',
      '',
    ].join('\0');
    expect(gitlinksUnder(listing, 'manifests')).toEqual([
      { path: 'team', commit: '2222222222222222222222222222222222222222' },
    ]);
    expect(gitlinksUnder(listing, '').map((l) => l.path)).toEqual(['manifests/team', 'vendor/lib']);
  });
});
