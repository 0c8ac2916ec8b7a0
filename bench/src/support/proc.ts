import { readFileSync, writeFileSync } from 'node:fs';

/** Resident set size and its high-water mark of a process, in bytes, read from /proc (Linux). */
export function readRss(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

/** Resets the process's RSS high-water mark (`clear_refs` 5); false where the kernel or permissions refuse. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples another process's RSS from outside (so a busy event loop in it cannot delay the samples) and, where the
 * kernel allows, also reads its VmHWM, so a peak between two samples is not missed.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private maxRss = 0;
  private readonly hwmReset: boolean;

  constructor(
    private readonly pid: number,
    intervalMs = 5,
  ) {
    this.hwmReset = resetPeakRss(pid);
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Stops sampling; returns the peak RSS seen in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const { hwm } = readRss(this.pid);
    return this.hwmReset ? Math.max(this.maxRss, hwm) : this.maxRss;
  }

  private sample(): void {
    try {
      this.maxRss = Math.max(this.maxRss, readRss(this.pid).rss);
    } catch {
      // the process is gone; keep what was seen
    }
  }
}

const CLOCK_TICKS_PER_SEC = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") "; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
  } catch {
    return 0;
  }
}

/** Busy CPU time of the whole machine so far, in ms (all cores, from /proc/stat). */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // irq and softirq are left out: loopback networking of our own processes is accounted there.
  const [user, nice, system, , , , , steal] = line.split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + steal) * 1000) / CLOCK_TICKS_PER_SEC;
}

/** Cores the whole machine keeps busy over the next `ms` milliseconds. */
export async function machineBusyCores(ms: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  const busy0 = machineBusyMs();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusyMs() - busy0) / (Number(process.hrtime.bigint() - t0) / 1e6);
}

/** What all {@link waitForQuietMachine} calls of one run may spend together, so the bench stays bounded. */
let quietWaitBudgetMs = 60_000;

/**
 * On a shared machine other processes come and go: wait (at most `maxWaitMs`, and at most a minute per run in
 * total) for a second in which the machine keeps less than a quarter of a core busy (the bench's own processes
 * idle meanwhile), so bursts of other work disturb fewer measurements. Says once on stdout that it waits.
 */
export async function waitForQuietMachine(maxWaitMs = 15_000): Promise<void> {
  const started = Date.now();
  const deadline = started + Math.min(maxWaitMs, quietWaitBudgetMs);
  let told = false;
  try {
    for (;;) {
      const busy = await machineBusyCores(1_000);
      if (busy < 0.25 || Date.now() > deadline) return;
      if (!told) {
        process.stdout.write(`(waiting for other processes: ${busy.toFixed(1)} cores busy) `);
        told = true;
      }
    }
  } finally {
    quietWaitBudgetMs = Math.max(0, quietWaitBudgetMs - (Date.now() - started));
  }
}

/**
 * Splits the machine's CPU use over an interval into ours (the given processes) and everybody else's, in cores.
 * A busy machine makes latency and throughput figures unreliable; the table notes it.
 */
export class CpuMeter {
  private readonly t0 = process.hrtime.bigint();
  private readonly machine0 = machineBusyMs();
  private readonly ours0: number;

  constructor(private readonly pids: number[]) {
    this.ours0 = this.oursMs();
  }

  /** Cores used by our processes and by others since construction. */
  read(): { ourCores: number; otherCores: number } {
    const wallMs = Number(process.hrtime.bigint() - this.t0) / 1e6;
    const ours = this.oursMs() - this.ours0;
    const all = machineBusyMs() - this.machine0;
    return { ourCores: ours / wallMs, otherCores: Math.max(0, all - ours) / wallMs };
  }

  private oursMs(): number {
    return this.pids.reduce((sum, pid) => sum + readCpuMs(pid), 0);
  }
}
