// The dependency rule of docs/architecture.md#the-dependency-rule, checked on the real import graph
// (dependency-cruiser, rules in .dependency-cruiser.cjs): no cycles, leaf modules stay leaves, the
// pure core imports no SDK at run time and does no I/O, only the readers and writers use the SDK,
// reconcile/ composes through its ports, and the controller and the emulator never import each other.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
let graph: ICruiseResult;

beforeAll(async () => {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
    const result = await cruise(['controller', 'emulator'], options, undefined, {
      tsConfig: extractTSConfig('tsconfig.json'),
    });
    graph = result.output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
}, 120_000);

describe('dependency rule (import graph)', () => {
  it('given the controller and the emulator, then no import breaks a rule of .dependency-cruiser.cjs', () => {
    const violations = graph.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
    // The rules looked at the real thing, not an empty folder.
    expect(graph.modules.filter((m) => m.source.startsWith('controller/')).length).toBeGreaterThan(100);
    expect(graph.summary.ruleSetUsed?.forbidden?.length).toBeGreaterThanOrEqual(10);
  });

  it('given every module, then none is part of an import cycle', () => {
    const cyclic = graph.modules.flatMap((m) => m.dependencies.filter((d) => d.circular).map(() => m.source));
    expect(cyclic).toEqual([]);
  });
});

// What the graph cannot tell: reads and writes come from the same SDK package. Among the modules the
// graph allows to use the SDK, reads are sent from live/ and writes from apply/; the lease anchor
// (lease/anchor.ts) does both for its own cluster only, and the EventBridge alert sink puts alert
// events on a bus (it changes no fleet state).
describe('dependency rule (AWS commands)', () => {
  const READ = /new (Describe|List|Get)[A-Za-z]*Command\(/;
  const WRITE = /new (?!Describe|List|Get)[A-Z][A-Za-z]*Command\(/;

  it('given every AWS command the controller sends, then reads are sent from live/ and writes from apply/', () => {
    const senders = graph.modules
      .map((m) => m.source)
      .filter((file) => file.startsWith('controller/') && file.endsWith('.ts'))
      .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
    const readers = senders.filter(({ text }) => READ.test(text)).map(({ file }) => file);
    const writers = senders.filter(({ text }) => WRITE.test(text)).map(({ file }) => file);
    expect(readers.length).toBeGreaterThan(0);
    expect(writers.length).toBeGreaterThan(0);
    const anchor = 'controller/lease/anchor.ts';
    const sinks = ['controller/alerts/eventbridge.ts'];
    expect(readers.filter((file) => !file.startsWith('controller/live/') && file !== anchor)).toEqual([]);
    expect(
      writers.filter(
        (file) => !file.startsWith('controller/apply/') && file !== anchor && !sinks.includes(file),
      ),
    ).toEqual([]);
  });
});

describe('the layout in docs/architecture.md', () => {
  it('given the controller folder, then every folder and top-level file in it is named in the layout', () => {
    // A newcomer finds a behaviour by its folder; a folder the layout does not name is one they cannot find.
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const layout = doc.slice(doc.indexOf('## Layout'), doc.indexOf('## The dependency rule'));
    const entries = readdirSync(join(ROOT, 'controller'), { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? `${entry.name}/` : entry.name,
    );
    expect(entries.length).toBeGreaterThan(20);
    expect(
      entries.filter((entry) => !new RegExp(`^ {2}${entry.replace('.', '\\.')}\\s`, 'm').test(layout)),
    ).toEqual([]);
  });
});
