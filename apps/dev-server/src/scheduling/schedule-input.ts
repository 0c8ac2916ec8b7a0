import type { InputReader } from '../api/input-reader.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import {
  checkTriggerInterval,
  isResident,
  nextTriggerAt,
  quartzCron,
  storedTriggerInterval,
  TriggerType,
} from './trigger-interval.js';

/** The schedule columns of a job or workflow created through the dev server's own API. */
export interface ScheduleFields {
  triggerType?: number;
  triggerInterval?: string;
  nextTriggerAt?: number;
  resident?: number;
}

const TRIGGER_TYPES: Record<string, number> = {
  FIXED: TriggerType.FIXED,
  SCHEDULED_TIME: TriggerType.FIXED,
  CRON: TriggerType.CRON,
  POINT_IN_TIME: TriggerType.POINT_IN_TIME,
  WORKFLOW: TriggerType.WORKFLOW,
  WORK_FLOW: TriggerType.WORKFLOW,
};

/**
 * Reads `triggerType` (2 FIXED, 3 CRON, 5 POINT_IN_TIME, 99 WORKFLOW, or the name) and `triggerInterval`
 * (seconds, a Quartz CRON, an array of `"yyyy-MM-dd HH:mm:ss"`), validated as the server validates them, and the
 * first trigger time. Without `triggerType` nothing is scheduled.
 */
export function parseScheduleFields(r: InputReader, what: string): ScheduleFields {
  if (!r.has('triggerType')) return {};
  const triggerType = r.code('triggerType', TRIGGER_TYPES);
  const raw = r.raw('triggerInterval');
  const interval =
    raw === undefined || raw === null
      ? triggerType === TriggerType.WORKFLOW
        ? '*'
        : r.fail(
            'triggerInterval',
            'seconds, a Quartz CRON expression or a list of "yyyy-MM-dd HH:mm:ss" times',
          )
      : Array.isArray(raw)
        ? JSON.stringify(raw)
        : String(raw);
  const now = Date.now();
  try {
    // The server only says "Expression parsing error"; the dev server's own API tells why.
    if (triggerType === TriggerType.CRON) quartzCron(interval);
    const stored = storedTriggerInterval(interval, triggerType);
    const resident = isResident(triggerType, interval, now);
    checkTriggerInterval(interval, triggerType, now);
    return {
      triggerType,
      triggerInterval: stored,
      resident,
      nextTriggerAt: nextTriggerAt(triggerType, stored, now),
    };
  } catch (e) {
    throw new InvalidInputError(
      `${what}: field "triggerInterval" ${JSON.stringify(interval)} does not fit trigger type ${triggerType}: ${(e as Error).message}`,
    );
  }
}
