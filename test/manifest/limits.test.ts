// Bounded input: documents per file and per revision, and the problems a rejected revision keeps.
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../controller/errors.js';
import { LIMITS, parseManifests } from '../../controller/manifest/index.js';

function cluster(name: string): string {
  return `---\napiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: ${name}}\nspec: {}\n`;
}

function rejected(files: Record<string, string>) {
  const result = parseManifests(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    { revision: 'test' },
  );
  if (result.ok) throw new Error('expected the revision to be rejected');
  return result;
}

describe('input limits', () => {
  it('refuses a file of 100,000 tiny documents (900 KB, under the size limit) with one problem naming it', () => {
    // given 100,000 documents in one file of 900 KB
    const content = '---\na: 1\n'.repeat(100_000);
    expect(Buffer.byteLength(content)).toBeLessThan(LIMITS.maxFileBytes);
    // when loaded
    const result = rejected({ 'deploy/many.yaml': content, 'deploy/ok.yaml': cluster('prod') });
    // then one problem at the first document over the limit, not 200,000 of them
    expect(result.problemCount).toBe(1);
    expect(result.problems.map(formatProblem)).toEqual([
      `deploy/many.yaml:${2 * LIMITS.maxDocumentsPerFile + 1}:1: more than ${LIMITS.maxDocumentsPerFile} YAML documents in one file (the limit per manifest file); split it into several files`,
    ]);
  });

  it('counts documents separated by "..." only, too', () => {
    const content = 'a: 1\n...\n'.repeat(LIMITS.maxDocumentsPerFile + 1);
    const result = rejected({ 'dots.yaml': content });
    expect(result.problems.map(formatProblem)).toEqual([
      `dots.yaml:1:1: more than ${LIMITS.maxDocumentsPerFile} YAML documents in one file (the limit per manifest file); split it into several files`,
    ]);
  });

  it('accepts a file at the limit', () => {
    const content = Array.from({ length: LIMITS.maxDocumentsPerFile }, (_, i) => cluster(`c${i}`)).join('');
    const result = parseManifests([{ path: 'fleet.yaml', content }], { revision: 'test' });
    expect(result.ok && result.desired.resources.length).toBe(LIMITS.maxDocumentsPerFile);
  });

  it('refuses a revision of more documents than the limit, naming the file where it was crossed', () => {
    // given files of 1,000 documents each, one more file than the revision allows
    const perFile = LIMITS.maxDocumentsPerFile;
    const fileCount = LIMITS.maxDocumentsPerRevision / perFile + 1;
    const files: Record<string, string> = {};
    for (let f = 0; f < fileCount; f++) {
      const name = `f${String(f).padStart(2, '0')}.yaml`;
      files[name] = Array.from({ length: perFile }, (_, i) => cluster(`c${f}-${i}`)).join('');
    }
    const last = `f${String(fileCount - 1).padStart(2, '0')}.yaml`;
    // when loaded, then the revision is rejected at the file that crossed the limit
    expect(rejected(files).problems.map(formatProblem)).toEqual([
      `${last}:1:1: the revision has more than ${LIMITS.maxDocumentsPerRevision} documents (the limit per revision), counting up to this file; rejected`,
    ]);
  });

  it('keeps the first problems in file order and counts all of them', () => {
    // given 300 documents with two problems each (no kind, no apiVersion check: one problem each + …)
    const content = Array.from({ length: 300 }, (_, i) => `---\nkind: Nope${i}\n`).join('');
    const result = rejected({ 'bad.yaml': content });
    // then the result holds LIMITS.maxProblems of them, the first ones, and the total
    expect(result.problems).toHaveLength(LIMITS.maxProblems);
    expect(result.problemCount).toBe(600);
    expect(result.problems[0]!.location.line).toBe(2);
    const lines = result.problems.map((p) => p.location.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
