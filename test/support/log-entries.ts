import { parseJson } from 'nestjs-snail-job/protocol';
import type { RawServer } from './raw-peer.js';

/** A log entry as the server received it (ids may be bigint). */
export interface ReceivedLogEntry {
  logType: string;
  namespaceId: string;
  groupName: string;
  jobId: number | bigint;
  taskBatchId: number | bigint;
  taskId: number | bigint;
  realTime: number;
  fieldList: { name: string; value?: string }[];
}

export const REPORT_LOG = '/batch/server/report/log';

/** Every `/batch/server/report/log` request so far, each as its list of entries. */
export function logRequests(server: RawServer): ReceivedLogEntry[][] {
  return server.calls(REPORT_LOG).map((call) => {
    const args = parseJson(call.body) as unknown[];
    return args[0] as ReceivedLogEntry[];
  });
}

/** Every entry the server received, in arrival order. */
export function logEntries(server: RawServer): ReceivedLogEntry[] {
  return logRequests(server).flat();
}

/** The value of one field of an entry. */
export function field(entry: ReceivedLogEntry, name: string): string | undefined {
  return entry.fieldList.find((f) => f.name === name)?.value;
}

/** Waits until `predicate` holds for the entries received. */
export async function waitForEntries(
  server: RawServer,
  predicate: (entries: ReceivedLogEntry[]) => boolean,
  timeoutMs = 5_000,
): Promise<ReceivedLogEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = logEntries(server);
    if (predicate(entries)) return entries;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for log entries; got ${entries.length}: ${entries
          .map((e) => field(e, 'message'))
          .join(' | ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
