// Golden files of what import writes, for three representative services read from the emulator
// (test/fixtures/import/estate.json, captured by `UPDATE_GOLDEN=1 npx vitest run test/import`):
// a Fargate web service with an ALB and autoscaling, an EC2 worker with placement and volumes, and a
// Service Connect service with secrets. Pure: the estate in, the files out, and the same files
// proven to diff to zero against the estate they came from.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderImport, verifyImport } from '../../controller/import/index.js';
import type { Estate } from '../../controller/live/estate.js';
import { GOLDEN_ESTATE } from './estate.js';

const EXPECTED = join(import.meta.dirname, '..', 'fixtures', 'import', 'expected');
const estate = JSON.parse(readFileSync(GOLDEN_ESTATE, 'utf8')) as Estate;
const result = renderImport(estate, {
  instance: 'ecs-gitops',
  schemaRef: (file) => `${'../'.repeat(file.split('/').length + 2)}schemas/ecs-gitops.schema.json`,
});

describe('import golden files', () => {
  it('writes one file per cluster and one per service', () => {
    expect(result.files.map((file) => file.path)).toEqual([
      'batch/cluster.yaml',
      'mesh/cluster.yaml',
      'web-prod/cluster.yaml',
      'batch/worker.yaml',
      'mesh/cart.yaml',
      'web-prod/web.yaml',
    ]);
  });

  it.each(result.files.map((file) => [file.path, file] as const))(
    '%s matches its golden file',
    (path, file) => {
      const golden = join(EXPECTED, path);
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, file.content);
      }
      expect(file.content).toBe(readFileSync(golden, 'utf8'));
    },
  );

  it('given the written files, when loaded and diffed against the estate, then every resource is in sync or to be adopted', () => {
    expect(verifyImport(result.files, estate, 'ecs-gitops')).toEqual({
      problems: [],
      warnings: [],
      differences: [],
    });
  });

  it('warns about nothing here: the secrets are references and every resource is unowned', () => {
    expect(result.warnings).toEqual([]);
  });
});
