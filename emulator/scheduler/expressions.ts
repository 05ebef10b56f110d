// Schedule expressions of EventBridge Scheduler: at(yyyy-mm-ddThh:mm:ss), rate(value unit) and
// cron(minutes hours day-of-month month day-of-week year), evaluated in ScheduleExpressionTimezone.
// cron fields follow the EventBridge rules (one of day-of-month / day-of-week must be `?`,
// day-of-week 1-7 = SUN-SAT, L W # allowed); croner evaluates them with Quartz weekday numbering.
import { Cron } from 'croner';

export type ScheduleExpression =
  | { readonly kind: 'at'; readonly local: string }
  | { readonly kind: 'rate'; readonly everyMs: number }
  | { readonly kind: 'cron'; readonly fields: string };

const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(([^)]+)\)$/;
const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses an expression; undefined when it is not one EventBridge Scheduler accepts. */
export function parseExpression(text: string): ScheduleExpression | undefined {
  const at = AT.exec(text);
  if (at) return Number.isNaN(Date.parse(`${at[1]}Z`)) ? undefined : { kind: 'at', local: at[1]! };
  const rate = RATE.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) return undefined;
    const unit = rate[2]!.replace(/s$/, '');
    return { kind: 'rate', everyMs: value * UNIT_MS[unit]! };
  }
  const cron = CRON.exec(text);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) return undefined;
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) return undefined;
    const expression: ScheduleExpression = { kind: 'cron', fields: fields.join(' ') };
    try {
      cronOf(expression.fields, 'UTC');
    } catch {
      return undefined;
    }
    return expression;
  }
  return undefined;
}

function cronOf(fields: string, timezone: string): Cron {
  return new Cron(`0 ${fields}`, {
    timezone,
    mode: '7-part',
    alternativeWeekdays: true,
    sloppyRanges: true,
    paused: true,
  });
}

export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export interface Window {
  /** The schedule's CreationDate (rate schedules count from it, or from StartDate). */
  readonly createdMs: number;
  readonly startMs?: number | undefined;
  readonly endMs?: number | undefined;
}

/** The first invocation strictly after `afterMs`, or undefined when there is none any more. */
export function nextInvocation(
  expression: ScheduleExpression,
  timezone: string,
  window: Window,
  afterMs: number,
): number | undefined {
  let next: number | undefined;
  switch (expression.kind) {
    case 'at': {
      const at = new Cron(expression.local, { timezone, paused: true }).nextRun(new Date(afterMs - 1000));
      next = at && at.getTime() > afterMs ? at.getTime() : undefined;
      // StartDate and EndDate do not apply to one-time schedules.
      return next;
    }
    case 'rate': {
      const origin = Math.max(window.createdMs, window.startMs ?? 0);
      const periods = afterMs < origin ? 0 : Math.floor((afterMs - origin) / expression.everyMs) + 1;
      next = origin + periods * expression.everyMs;
      if (window.startMs === undefined || window.startMs <= window.createdMs) {
        // Without a later StartDate the first run is one period after creation.
        next = Math.max(next, window.createdMs + expression.everyMs);
      }
      break;
    }
    case 'cron': {
      const from = Math.max(afterMs, (window.startMs ?? Number.NEGATIVE_INFINITY) - 1);
      next = cronOf(expression.fields, timezone).nextRun(new Date(from))?.getTime();
      break;
    }
  }
  if (next === undefined) return undefined;
  if (window.endMs !== undefined && next > window.endMs) return undefined;
  return next;
}
