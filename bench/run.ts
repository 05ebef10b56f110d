// `npm run bench [-- --size N]`: runs every benchmark in turn; each prints its own table. `--size`
// sets the estate benchmarks' number of services (ECS_GITOPS_BENCH_SIZE).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
  .sort();
const sizeAt = process.argv.indexOf('--size');
const size = sizeAt >= 0 ? process.argv[sizeAt + 1] : undefined;
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n## ${name}\n\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, name)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...(size ? { ECS_GITOPS_BENCH_SIZE: size } : {}),
    },
  });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
