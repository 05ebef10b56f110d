// Bad input the loader must survive: each gives a clear, positioned problem and never throws.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../controller/manifest/index.js';
import { CLUSTER, edit, FLEET, load, problemsOf, SERVICE } from './helpers.js';

describe('bad input', () => {
  it('reports malformed YAML with its line and column', () => {
    // given a mapping whose flow sequence never closes
    const problems = problemsOf({
      'bad.yaml': 'apiVersion: ecs-gitops/v1\nkind: [Cluster\nmetadata: {name: a}\n',
    });
    // then the problem names the file and a position inside it
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('reports a document that is not a mapping', () => {
    const problems = problemsOf({ 'list.yaml': '- a\n- b\n', 'scalar.yaml': 'just text\n' });
    expect(problems).toEqual([
      'list.yaml:1:1: a manifest must be a mapping with apiVersion, kind, metadata and spec, got a list',
      'scalar.yaml:1:1: a manifest must be a mapping with apiVersion, kind, metadata and spec, got a string ("just text")',
    ]);
  });

  it('reports an unknown kind with a suggestion, and an unknown apiVersion', () => {
    const problems = problemsOf({
      'a.yaml': edit(SERVICE, 'kind: Service', 'kind: Servce'),
      'b.yaml': edit(CLUSTER, 'apiVersion: ecs-gitops/v1', 'apiVersion: v1'),
    });
    expect(problems).toEqual([
      'a.yaml:2:7: kind: unknown kind "Servce" (did you mean "Service"?); expected one of CapacityProvider, Cluster, TaskDefinition, Service, ScalingPolicy, ScheduledTask, Task',
      'b.yaml:1:13: Cluster/prod: apiVersion: must be "ecs-gitops/v1", got "v1"',
    ]);
  });

  it('reports unknown fields at the key, with did-you-mean', () => {
    const problems = problemsOf({ 'web.yaml': edit(FLEET, '  desiredCount: 2', '  desiredCont: 2') });
    expect(problems).toEqual([
      'web.yaml:27:3: Service/web: spec.desiredCont: unknown field "desiredCont" (did you mean "desiredCount"?)',
    ]);
  });

  it('reports wrong types at the value, every one of them', () => {
    const text = edit(
      edit(FLEET, 'desiredCount: 2', 'desiredCount: "two"'),
      'containerPort: 80',
      'containerPort: -80',
    );
    expect(problemsOf({ 'web.yaml': text })).toEqual([
      'web.yaml:19:38: TaskDefinition/web: spec.containerDefinitions[0].portMappings[0].containerPort: must be integer between 0 and 65535, got -80',
      'web.yaml:27:17: Service/web: spec.desiredCount: must be integer >= 0, got string "two"',
    ]);
  });

  it('ignores empty files, comment-only files and ---only documents', () => {
    const result = load({
      'empty.yaml': '',
      'comment.yaml': '# nothing here\n',
      'dashes.yaml': '---\n---\n',
      'fleet.yaml': `---\n${FLEET}---\n`,
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.desired.resources).toHaveLength(4);
  });

  it('reports every duplicate key, not just the first', () => {
    const text = edit(
      edit(SERVICE, 'desiredCount: 2', 'desiredCount: 2\n  desiredCount: 3'),
      'kind: Service',
      'kind: Service\nkind: Service',
    );
    const problems = problemsOf({ 'dup.yaml': text });
    expect(problems).toContain('dup.yaml:3:1: kind: duplicate key "kind"');
    expect(problems).toContain('dup.yaml:9:3: spec.desiredCount: duplicate key "desiredCount"');
  });

  it('rejects a billion-laughs alias bomb fast, without expanding it', () => {
    // given nine levels of nine aliases each: 9^9 ≈ 387 million strings once expanded
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 10; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const started = performance.now();
    const problems = problemsOf({ 'bomb.yaml': `${lines.join('\n')}\n` });
    // then it is refused within milliseconds with a clear reason
    expect(performance.now() - started).toBeLessThan(2000);
    expect(problems).toEqual([
      `bomb.yaml:1:1: YAML aliases expand to more than ${LIMITS.maxExpandedNodes} nodes (an alias bomb?); document rejected without expanding it`,
    ]);
  });

  it('refuses a document with more aliases than allowed', () => {
    const aliases = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `k${i}: *x`).join('\n');
    const problems = problemsOf({ 'many.yaml': `base: &x 1\n${aliases}\n` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^many\.yaml:\d+:\d+: invalid YAML: aliases exceeded maxAliases \(200\)/);
  });

  it('refuses a 10 MB file without parsing it', () => {
    const big = `# ${'x'.repeat(10 * 1024 * 1024)}\n`;
    const started = performance.now();
    const problems = problemsOf({ 'big.yaml': big });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(problems).toEqual([
      'big.yaml:1:1: file is too large (10.0 MB; the limit is 1.0 MB per manifest file)',
    ]);
  });

  it('refuses binary garbage with a .yaml name', () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const invalidUtf8 = Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]);
    expect(problemsOf({ 'garbage.yaml': garbage, 'latin1.yaml': invalidUtf8 })).toEqual([
      'garbage.yaml:1:1: not a text file (contains NUL bytes); expected YAML',
      'latin1.yaml:1:1: not a text file (invalid UTF-8); expected YAML',
    ]);
  });

  it('refuses explicit tags that are not plain YAML data', () => {
    const problems = problemsOf({ 'tag.yaml': edit(CLUSTER, 'name: prod', 'name: !!binary cHJvZA==') });
    expect(problems[0]).toMatch(/^tag\.yaml:3:18: invalid YAML: unknown scalar tag/);
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `${'['.repeat(LIMITS.maxDepth + 10)}${']'.repeat(LIMITS.maxDepth + 10)}\n`;
    expect(problemsOf({ 'deep.yaml': deep })[0]).toMatch(/^deep\.yaml:1:\d+: invalid YAML: /);
  });

  it('keeps going after a bad document: the other documents of the file are still checked', () => {
    const text = `- not a manifest\n---\n${edit(SERVICE, 'desiredCount: 2', 'desiredCount: -1')}`;
    expect(problemsOf({ 'mixed.yaml': text })).toEqual([
      'mixed.yaml:1:1: a manifest must be a mapping with apiVersion, kind, metadata and spec, got a list',
      'mixed.yaml:9:17: Service/web: spec.desiredCount: must be integer >= 0, got -1',
    ]);
  });

  it('never throws, whatever the bytes', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => ((seed * 31 + i * 17) % 95) + 32));
      expect(() => load({ 'fuzz.yaml': bytes })).not.toThrow();
    }
  });
});
