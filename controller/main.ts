// Process entry: wiring only.
import './runtime/heap-flags.js';
import { runCli } from './cli/index.js';

const stop = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals += 1;
    // A second Ctrl-C means "now": skip the graceful shutdown.
    if (signals > 1) process.exit(130);
    stop.abort(signal);
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stopSignal: stop.signal,
});
process.exitCode = code;
// Every command closes what it opened; should a stray handle (a socket the SDK keeps alive) linger,
// the process still ends with the command's code instead of hanging.
setTimeout(() => process.exit(code), 2000).unref();
