// Rules of the ScheduledTask kind the schema cannot express, as EventBridge Scheduler checks them:
// the schedule expression (at / rate / six-field cron with one of day-of-month and day-of-week
// `?`), an IANA timezone, the flexible window, the date range.
import { Cron } from 'croner';
import type { Loaded, ProblemSink } from './loaded.js';

const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const RATE = /^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(([^)]+)\)$/;

/** Why EventBridge Scheduler would refuse the expression, or undefined when it is valid. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const help =
    'use at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)';
  if (AT.test(expression)) {
    return Number.isNaN(Date.parse(`${AT.exec(expression)?.[1]}Z`))
      ? `"${expression}" is not a valid date; ${help}`
      : undefined;
  }
  if (expression.startsWith('rate('))
    return RATE.test(expression) ? undefined : `"${expression}" is not a rate expression; ${help}`;
  const cron = CRON.exec(expression);
  if (!cron) return `"${expression}" is not a schedule expression; ${help}`;
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6)
    return `cron expressions have 6 fields (minutes hours day-of-month month day-of-week year), "${expression}" has ${fields.length}`;
  if ((fields[2] === '?') === (fields[4] === '?')) {
    return 'exactly one of day-of-month and day-of-week must be "?" (e.g. cron(0 3 * * ? *))';
  }
  try {
    new Cron(`0 ${fields.join(' ')}`, {
      mode: '7-part',
      alternativeWeekdays: true,
      sloppyRanges: true,
      paused: true,
    });
  } catch (error) {
    return `"${expression}": ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
  return undefined;
}

function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function checkScheduledTask(item: Loaded<'ScheduledTask'>, sink: ProblemSink): void {
  const spec = item.spec;
  const expression = scheduleExpressionProblem(spec.scheduleExpression);
  if (expression) sink.add(item, '/spec/scheduleExpression', expression);
  const timezone = spec.scheduleExpressionTimezone;
  if (timezone !== undefined && !isTimezone(timezone)) {
    sink.add(
      item,
      '/spec/scheduleExpressionTimezone',
      `"${timezone}" is not an IANA timezone (e.g. Europe/Berlin, America/New_York, UTC)`,
    );
  }
  const window = spec.flexibleTimeWindow;
  if (window?.mode === 'FLEXIBLE' && window.maximumWindowInMinutes === undefined) {
    sink.add(item, '/spec/flexibleTimeWindow', 'mode FLEXIBLE needs maximumWindowInMinutes (1-1440)');
  }
  if (window?.mode === 'OFF' && window.maximumWindowInMinutes !== undefined) {
    sink.add(
      item,
      '/spec/flexibleTimeWindow/maximumWindowInMinutes',
      'maximumWindowInMinutes applies only to mode FLEXIBLE',
    );
  }
  const start = spec.startDate === undefined ? undefined : Date.parse(spec.startDate);
  const end = spec.endDate === undefined ? undefined : Date.parse(spec.endDate);
  if (start !== undefined && end !== undefined && end <= start) {
    sink.add(item, '/spec/endDate', 'endDate must be after startDate');
  }
  const target = spec.target;
  if (target.launchType !== undefined && target.capacityProviderStrategy !== undefined) {
    sink.add(
      item,
      '/spec/target/capacityProviderStrategy',
      'give launchType or capacityProviderStrategy, not both',
    );
  }
}
