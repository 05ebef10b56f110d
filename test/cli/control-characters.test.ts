// Names and values from manifests reach terminals and log lines escaped: a name holding ESC
// sequences, newlines or bidirectional overrides can neither recolour a terminal nor forge a line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../controller/cli/index.js';
import { createLogger } from '../../controller/log.js';
import { escapeControl } from '../../controller/printable.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-control-'));
  // given a manifest whose name (and a file name) carry ESC colour codes, a newline and a bidi override
  await writeFile(
    join(dir, 'cluster.yaml'),
    'apiVersion: ecs-gitops/v1\nkind: Cluster\nmetadata: {name: "pro\\e[31mRED\\e[0md\\nFAKE: ok\\u202e"}\nspec: {}\n',
  );
  await writeFile(join(dir, 'bad\u001b[2Jname.yaml'), 'kind: [\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function validate(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    out += String(chunk);
  });
  const code = await runCli(['validate', ...args], {
    stdout,
    stderr,
    env: {},
    cwd: dir,
    stopSignal: new AbortController().signal,
  });
  return { code, out };
}

describe('control characters from manifests', () => {
  it('validate prints them escaped, one problem per line', async () => {
    const { code, out } = await validate(dir);
    expect(code).toBe(1);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('Cluster/pro\\x1b[31mRED\\x1b[0md\\x0aFAKE: ok\\u202e:');
    expect(out).toContain('bad\\x1b[2Jname.yaml:');
    // every line of output is a problem or the summary: the newline in the name forged none
    expect(out.split('\n').filter((line) => line.startsWith('FAKE'))).toEqual([]);
  });

  it('log messages carry them escaped', () => {
    const lines: string[] = [];
    const stream = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
      { isTTY: false },
    );
    const logger = createLogger({ level: 'info', format: 'json', stream });
    logger.info({ resource: 'Service/x' }, 'created service we\u001b[31mb\nFAKE line');
    const record = JSON.parse(lines[0]!) as { msg: string };
    expect(record.msg).toBe('created service we\\x1b[31mb\\x0aFAKE line');
    expect(record.msg).not.toMatch(RAW_CONTROL);
  });

  it('escapes C0, C1 and bidi controls and leaves ordinary text alone', () => {
    expect(escapeControl('plain text: ünïcödé ✓')).toBe('plain text: ünïcödé ✓');
    expect(escapeControl('\u0000\t\u007f\u009b\u2066')).toBe('\\x00\\x09\\x7f\\x9b\\u2066');
  });
});
