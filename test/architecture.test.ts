// The dependency rule of docs/architecture.md#the-dependency-rule, checked on the source: the pure core imports no AWS SDK
// and does no I/O; only live/ sends AWS reads and only apply/ sends AWS writes; the controller and
// the emulator never import each other.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

const controller = sources('controller').map((file) => ({
  file,
  text: readFileSync(join(ROOT, file), 'utf8'),
}));
const READ = /new (Describe|List|Get)[A-Za-z]*Command\(/;
const WRITE = /new (?!Describe|List|Get)[A-Z][A-Za-z]*Command\(/;

describe('dependency rule', () => {
  it('given the pure core (manifest, diff, plan, health, import), then it imports no AWS SDK and no I/O module', () => {
    const pure = controller.filter(({ file }) =>
      /^controller\/(manifest|diff|plan|health|import)\//.test(file),
    );
    expect(pure.length).toBeGreaterThan(10);
    const offenders = pure.filter(({ text }) =>
      /from '(@aws-sdk\/[^']+|node:(fs|fs\/promises|http|https|net|child_process))'/.test(
        text.replace(/import type[^;]+;/g, ''),
      ),
    );
    expect(offenders.map((o) => o.file)).toEqual([]);
  });

  it('given every AWS command the controller sends, then reads are sent from live/ and writes from apply/ only', () => {
    const readers = controller.filter(({ text }) => READ.test(text)).map(({ file }) => file);
    const writers = controller.filter(({ text }) => WRITE.test(text)).map(({ file }) => file);
    expect(readers.length).toBeGreaterThan(0);
    expect(writers.length).toBeGreaterThan(0);
    expect(readers.filter((file) => !file.startsWith('controller/live/'))).toEqual([]);
    // The one exception: the EventBridge alert sink puts alert events on a bus; it changes no fleet state.
    const sinks = ['controller/alerts/eventbridge.ts'];
    expect(writers.filter((file) => !file.startsWith('controller/apply/') && !sinks.includes(file))).toEqual(
      [],
    );
  });

  it('given the controller and the emulator, then neither imports the other', () => {
    const emulator = sources('emulator').map((file) => ({
      file,
      text: readFileSync(join(ROOT, file), 'utf8'),
    }));
    const intoEmulator = controller.filter(({ text }) => /from '(\.\.\/)+emulator\//.test(text));
    const intoController = emulator.filter(({ text }) => /from '(\.\.\/)+controller\//.test(text));
    expect([...intoEmulator, ...intoController].map(({ file }) => relative(ROOT, join(ROOT, file)))).toEqual(
      [],
    );
  });
});
