import { describe, expect, it } from 'vitest';
import {
  checkTriggerInterval,
  cronExecuteInterval,
  followingTriggerAt,
  formatLocalDateTime,
  isResident,
  MAX_POINT_IN_TIME,
  nextCronTime,
  nextTriggerAt,
  parseLocalDateTime,
  quartzCron,
  ScheduleError,
  ScheduleSystemError,
  storedTriggerInterval,
  TriggerType,
} from './trigger-interval.js';

const at = (text: string) => parseLocalDateTime(text);

describe('Quartz CRON (CronExpression semantics)', () => {
  it('has seconds, strictly-after next times and Sunday = 1', () => {
    expect(formatLocalDateTime(nextCronTime('0/5 * * * * ?', at('2026-01-01 00:00:05'))!)).toBe(
      '2026-01-01 00:00:10',
    );
    // 2026-01-01 is a Thursday; day-of-week 1 is Sunday in Quartz.
    expect(formatLocalDateTime(nextCronTime('0 0 12 ? * 1', at('2026-01-01 00:00:00'))!)).toBe(
      '2026-01-04 12:00:00',
    );
    expect(formatLocalDateTime(nextCronTime('0 0 12 ? * MON-FRI', at('2026-01-02 13:00:00'))!)).toBe(
      '2026-01-05 12:00:00',
    );
  });

  it('supports L, W, # and the optional year', () => {
    expect(formatLocalDateTime(nextCronTime('0 0 12 L * ?', at('2026-02-01 00:00:00'))!)).toBe(
      '2026-02-28 12:00:00',
    );
    expect(formatLocalDateTime(nextCronTime('0 0 12 ? * 6#2', at('2026-01-01 00:00:00'))!)).toBe(
      '2026-01-09 12:00:00',
    );
    expect(formatLocalDateTime(nextCronTime('0 0 12 1 1 ? 2027', at('2026-01-01 00:00:00'))!)).toBe(
      '2027-01-01 12:00:00',
    );
    expect(nextCronTime('0 0 12 1 1 ? 2020', at('2026-01-01 00:00:00'))).toBeUndefined();
  });

  it('rejects what Quartz rejects', () => {
    expect(() => quartzCron('0 0 12 * * *')).toThrow('both a day-of-week AND a day-of-month');
    expect(() => quartzCron('0 0 12 ? * ?')).toThrow('both a day-of-week AND a day-of-month');
    expect(() => quartzCron('0 12 * * ?')).toThrow();
  });

  it('reports the interval between the next two fire times like CronUtils', () => {
    expect(cronExecuteInterval('0/5 * * * * ?')).toBe(5000);
    expect(() => cronExecuteInterval('nonsense')).toThrow('Expression parsing error.[nonsense]');
    expect(() => cronExecuteInterval('0 0 12 1 1 ? 2099')).toThrow(
      'Expression must support multiple executions.[0 0 12 1 1 ? 2099]',
    );
  });
});

describe('trigger types (WaitStrategies, JobKit)', () => {
  const now = at('2026-03-01 10:00:00');

  it('fixed: previous trigger + interval seconds', () => {
    expect(nextTriggerAt(TriggerType.FIXED, '30', now)).toBe(now + 30_000);
    expect(() => nextTriggerAt(TriggerType.FIXED, 'x', now)).toThrow(ScheduleSystemError);
  });

  it('workflow-only jobs have no next trigger time', () => {
    expect(nextTriggerAt(TriggerType.WORKFLOW, '*', now)).toBe(0);
  });

  it('point in time: the earliest stored time after the given one, else 2999-12-31 23:59:59', () => {
    const stored = storedTriggerInterval(
      '["2026-03-01 10:05:00","2026-03-01 10:01:00"]',
      TriggerType.POINT_IN_TIME,
    );
    expect(JSON.parse(stored)).toEqual([
      { time: at('2026-03-01 10:05:00') },
      { time: at('2026-03-01 10:01:00') },
    ]);
    expect(nextTriggerAt(TriggerType.POINT_IN_TIME, stored, now)).toBe(at('2026-03-01 10:01:00'));
    expect(nextTriggerAt(TriggerType.POINT_IN_TIME, stored, at('2026-03-01 10:01:00'))).toBe(
      at('2026-03-01 10:05:00'),
    );
    expect(nextTriggerAt(TriggerType.POINT_IN_TIME, stored, at('2026-03-01 10:05:00'))).toBe(
      MAX_POINT_IN_TIME(),
    );
  });

  it('checks point-in-time lists: in the future and at least 10 s apart', () => {
    expect(() => checkTriggerInterval('["2026-03-01 09:59:59"]', TriggerType.POINT_IN_TIME, now)).toThrow(
      'The submission time is less than the current time. triggerTime:2026-03-01T09:59:59 now:2026-03-01T10:00',
    );
    expect(() =>
      checkTriggerInterval('["2026-03-01 10:01:00","2026-03-01 10:01:05"]', TriggerType.POINT_IN_TIME, now),
    ).toThrow('There are combinations with intervals less than 10(s)');
    expect(() => checkTriggerInterval('["tomorrow"]', TriggerType.POINT_IN_TIME, now)).toThrow(
      ScheduleSystemError,
    );
    checkTriggerInterval('["2026-03-01 10:01:00","2026-03-01 10:01:10"]', TriggerType.POINT_IN_TIME, now);
    checkTriggerInterval('not even json', TriggerType.CRON, now);
  });

  it('flags resident jobs (faster than every 10 s) and unknown trigger types', () => {
    expect(isResident(TriggerType.FIXED, '9')).toBe(1);
    expect(isResident(TriggerType.FIXED, '10')).toBe(0);
    expect(isResident(TriggerType.CRON, '* * * * * ?')).toBe(1);
    expect(isResident(TriggerType.CRON, '0 * * * * ?')).toBe(0);
    expect(isResident(TriggerType.WORKFLOW, '*')).toBe(0);
    expect(() => isResident(4, '1')).toThrow(new ScheduleError('Unknown trigger type'));
    expect(() => isResident(undefined, '1')).toThrow('Unknown trigger type');
  });

  it('restarts from now when the scan is more than a period late', () => {
    expect(followingTriggerAt(TriggerType.FIXED, '60', now, now + 5000)).toBe(now + 60_000);
    expect(followingTriggerAt(TriggerType.FIXED, '60', now, now + 11_000)).toBe(now + 71_000);
  });
});
