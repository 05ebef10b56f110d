// Structured logging: JSON lines in production (CloudWatch-friendly), readable text on a TTY.
import { type Logger, type LoggerOptions, pino } from 'pino';
import { escapeControl } from './printable.js';

export type { Logger };

export interface LogOptions {
  readonly level: string;
  readonly format: 'json' | 'pretty' | 'auto';
  /** Destination stream; stdout by default. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

// Never log credentials, even if a caller passes an object that carries them.
const REDACT = [
  'token',
  'secret',
  'password',
  '*.token',
  '*.secret',
  '*.password',
  '*.gitToken',
  '*.webhookSecret',
  '*.apiToken',
  'headers.authorization',
];

export function createLogger(options: LogOptions): Logger {
  const stream = options.stream ?? process.stdout;
  const pretty = options.format === 'pretty' || (options.format === 'auto' && Boolean(stream.isTTY));
  const base: LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: null,
    hooks: {
      // Messages quote manifest names and values; a readable log prints them raw, so a name holding
      // ESC sequences or newlines would recolour the terminal or forge log lines. Fields are JSON.
      logMethod(args, method) {
        const escaped = args.map((arg) => (typeof arg === 'string' ? escapeControl(arg) : arg));
        return method.apply(this, escaped as Parameters<typeof method>);
      },
    },
  };
  if (!pretty) return pino({ ...base, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  return pino(
    base,
    pino.transport({
      target: 'pino-pretty',
      options: {
        colorize: Boolean(stream.isTTY),
        translateTime: 'HH:MM:ss',
        ignore: 'pid,hostname',
        singleLine: true,
        destination: 1,
      },
    }),
  );
}

/** A logger that drops everything (CLI commands in tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
