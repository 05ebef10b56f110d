// Child process for the hostile-manifest probes: runs `ecs-gitops validate --output json` on one
// folder in a fresh process and prints what it cost — CPU time and peak resident memory, which a
// loaded machine does not distort the way wall-clock time would — plus the command's answer.
import { PassThrough } from 'node:stream';
import { runCli } from '../../controller/cli/index.js';

const dir = process.argv[2] ?? '.';
let output = '';
const stdout = new PassThrough();
const stderr = new PassThrough();
stdout.on('data', (chunk) => {
  output += String(chunk);
});
stderr.on('data', () => undefined);
const cpuBefore = process.cpuUsage();
const code = await runCli(['validate', dir, '--output', 'json'], {
  stdout,
  stderr,
  env: {},
  cwd: dir,
  stopSignal: new AbortController().signal,
});
const cpu = process.cpuUsage(cpuBefore);
const polluted = (Object.prototype as Record<string, unknown>).polluted !== undefined;
process.stdout.write(
  `${JSON.stringify({
    code,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    polluted,
    outputBytes: Buffer.byteLength(output),
    result: JSON.parse(output) as unknown,
  })}\n`,
);
