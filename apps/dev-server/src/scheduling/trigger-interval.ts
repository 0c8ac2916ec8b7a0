import { Cron } from 'croner';

/**
 * Trigger types and their next-trigger-time rules as SnailJob 2.0.2 computes them
 * (`snail-job-server-common/.../strategy/WaitStrategies.java`, `.../util/CronUtils.java`,
 * `snail-job-server-service/.../kit/JobKit.java`, `.../kit/TriggerIntervalKit.java`).
 */
export enum TriggerType {
  /** `triggerInterval` is a number of seconds. */
  FIXED = 2,
  /** `triggerInterval` is a Quartz CRON expression with seconds (6 or 7 fields). */
  CRON = 3,
  /** `triggerInterval` is a JSON array of `"yyyy-MM-dd HH:mm:ss"` times (stored as `[{"time":ms}]`). */
  POINT_IN_TIME = 5,
  /** Never scheduled by itself: run as a workflow node or by hand. */
  WORKFLOW = 99,
}

/** Where a point-in-time job with no time left is parked: 2999-12-31 23:59:59 local time. */
export const MAX_POINT_IN_TIME = (): number => new Date(2999, 11, 31, 23, 59, 59).getTime();

/** Catch-up window of the scan (`SystemConstants.SCHEDULE_PERIOD`, seconds). */
export const SCHEDULE_PERIOD_MS = 10_000;

/** A business rule violation; the message is the Java server's (`SnailJobServerException`). */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** Input the Java server fails on with an unexpected exception (answered as "System exception"). */
export class ScheduleSystemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleSystemError';
  }
}

/**
 * Parses a Quartz CRON expression (`com.aizuda.snailjob.common.core.util.CronExpression`, a copy of Quartz's):
 * seconds first, optional year, Sunday = 1, and exactly one of day-of-month / day-of-week must be `?`.
 * The time arithmetic is croner's.
 */
export function quartzCron(expression: string): Cron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) throw new Error('Unexpected end of expression.');
  const domAny = fields[3] === '?';
  const dowAny = fields[5] === '?';
  if (domAny === dowAny) {
    throw new Error(
      'Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.',
    );
  }
  return new Cron(fields.join(' '), {
    mode: '6-or-7-parts',
    alternativeWeekdays: true,
    sloppyRanges: true,
    paused: true,
  });
}

/** The first fire time strictly after `after` (ms), or undefined when the expression never fires again. */
export function nextCronTime(expression: string, after: number): number | undefined {
  return quartzCron(expression).nextRun(new Date(after))?.getTime();
}

/** Distance between the next two fire times (`CronUtils.getExecuteInterval`), for the resident check. */
export function cronExecuteInterval(expression: string, now = Date.now()): number {
  let first: number | undefined;
  let second: number | undefined;
  try {
    // Like CronUtils, fire times are taken at whole seconds.
    first = nextCronTime(expression, now);
    second = first === undefined ? undefined : nextCronTime(expression, first);
  } catch {
    first = undefined;
  }
  if (first === undefined) throw new ScheduleError(`Expression parsing error.[${expression}]`);
  if (second === undefined)
    throw new ScheduleError(`Expression must support multiple executions.[${expression}]`);
  return second - first;
}

/** Parses `"yyyy-MM-dd HH:mm:ss"` as local time (`DateUtils.toLocalDateTime`). */
export function parseLocalDateTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new ScheduleSystemError(`Text '${text}' could not be parsed`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(y, mo - 1, d, h, mi, s);
  if (date.getMonth() !== mo - 1 || date.getDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new ScheduleSystemError(`Text '${text}' could not be parsed`);
  }
  return date.getTime();
}

/** Formats epoch ms as `"yyyy-MM-dd HH:mm:ss"` in local time (the server's Jackson date format). */
export function formatLocalDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `LocalDateTime.toString()` of epoch ms (ISO, seconds and fraction only when non-zero), for messages. */
export function javaLocalDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  let text = `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  if (d.getSeconds() !== 0 || d.getMilliseconds() !== 0) text += `:${p(d.getSeconds())}`;
  if (d.getMilliseconds() !== 0) text += `.${p(d.getMilliseconds(), 3)}`;
  return text;
}

function parseStringList(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ScheduleSystemError(`Unparseable point-in-time list: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string' && v !== null)) {
    throw new ScheduleSystemError('A point-in-time list must be a JSON array of strings');
  }
  return parsed.filter((v): v is string => typeof v === 'string');
}

/**
 * What the server stores as `trigger_interval` (`TriggerIntervalUtils.getPointInTimeStr`): "" when blank or without
 * a type, `[{"time":ms},…]` for point in time (the request holds `"yyyy-MM-dd HH:mm:ss"` strings), else the text.
 */
export function storedTriggerInterval(
  triggerInterval: string | undefined,
  triggerType: number | undefined,
): string {
  if (triggerInterval === undefined || triggerInterval.trim() === '' || triggerType === undefined) return '';
  if (triggerType !== TriggerType.POINT_IN_TIME) return triggerInterval;
  return JSON.stringify(parseStringList(triggerInterval).map((t) => ({ time: parseLocalDateTime(t) })));
}

/** `TriggerIntervalKit.checkTriggerInterval`: point-in-time lists must start in the future, ≥ 10 s apart. */
export function checkTriggerInterval(
  triggerInterval: string | undefined,
  triggerType: number | undefined,
  now = Date.now(),
): void {
  if (triggerType !== TriggerType.POINT_IN_TIME) return;
  const times = parseStringList(triggerInterval ?? 'null')
    .map(parseLocalDateTime)
    .sort((a, b) => a - b);
  if (times.length === 0) throw new ScheduleSystemError('Index 0 out of bounds for length 0');
  if (times[0] < now) {
    throw new ScheduleError(
      `The submission time is less than the current time. triggerTime:${javaLocalDateTime(times[0])} now:${javaLocalDateTime(now)}`,
    );
  }
  for (let i = 1; i < times.length; i++) {
    if (times[i] - times[i - 1] < 10_000)
      throw new ScheduleError('There are combinations with intervals less than 10(s)');
  }
}

/** Java's `Integer.parseInt`: decimal digits with an optional sign, in int range. */
function parseJavaInt(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new ScheduleSystemError(`For input string: "${text}"`);
  const n = Number(text);
  if (n > 2147483647 || n < -2147483648) throw new ScheduleSystemError(`For input string: "${text}"`);
  return n;
}

/**
 * `JobKit.isResident`: 1 when the job fires more often than every 10 s (the Java server then keeps it in memory;
 * the dev server only reports the flag). Throws for an unknown trigger type or an unusable interval.
 */
export function isResident(
  triggerType: number | undefined,
  triggerInterval: string,
  now = Date.now(),
): number {
  switch (triggerType) {
    case TriggerType.WORKFLOW:
    case TriggerType.POINT_IN_TIME:
      return 0;
    case TriggerType.FIXED:
      return parseJavaInt(triggerInterval) < 10 ? 1 : 0;
    case TriggerType.CRON:
      return cronExecuteInterval(triggerInterval, now) < 10_000 ? 1 : 0;
    default:
      throw new ScheduleError('Unknown trigger type');
  }
}

/**
 * `JobKit.calculateNextTriggerAt(type, interval, time)`: the next trigger after `time` (ms) for the stored
 * interval; 0 for workflow-only jobs.
 */
export function nextTriggerAt(
  triggerType: number | undefined,
  triggerInterval: string,
  time: number,
): number {
  switch (triggerType) {
    case TriggerType.WORKFLOW:
    case undefined:
      return 0;
    case TriggerType.FIXED:
      return time + parseJavaInt(triggerInterval) * 1000;
    case TriggerType.CRON: {
      let next: number | undefined;
      try {
        next = nextCronTime(triggerInterval, time);
      } catch {
        throw new ScheduleError(`Parsing CRON expression exception [${triggerInterval}]`);
      }
      if (next === undefined) throw new ScheduleError(`Expression error: ${triggerInterval}`);
      return next;
    }
    case TriggerType.POINT_IN_TIME: {
      let points: unknown;
      try {
        points = JSON.parse(triggerInterval);
      } catch {
        throw new ScheduleSystemError(`Unparseable point-in-time list ${triggerInterval}`);
      }
      const times = (Array.isArray(points) ? points : [])
        .map((p) => (p !== null && typeof p === 'object' ? Number((p as { time?: unknown }).time) : NaN))
        .filter((t) => Number.isFinite(t) && t > time);
      return times.length === 0 ? MAX_POINT_IN_TIME() : Math.min(...times);
    }
    default:
      throw new ScheduleSystemError(`Wait strategy type does not exist. [${triggerType}]`);
  }
}

/**
 * The scan's rule for the trigger after the one at `scheduledAt` (`ScanJobTaskActor.calculateNextTriggerTime`):
 * a trigger more than one scan period late restarts from `now`.
 */
export function followingTriggerAt(
  triggerType: number | undefined,
  triggerInterval: string,
  scheduledAt: number,
  now: number,
): number {
  const base = scheduledAt + SCHEDULE_PERIOD_MS < now ? now : scheduledAt;
  return nextTriggerAt(triggerType, triggerInterval, base);
}
