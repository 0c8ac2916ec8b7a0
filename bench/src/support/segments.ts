import { machineBusyMs, readCpuMs } from './proc.js';

/** One slice of a measurement and how busy the rest of the machine was during it. */
export interface Segment {
  /** `process.hrtime.bigint()` at the start and end of the slice. */
  start: bigint;
  end: bigint;
  /** CPU cores used by processes other than ours during the slice. */
  otherCores: number;
}

/** Other processes may use this much of the machine during a slice that still counts as quiet. */
export const QUIET_OTHER_CORES = 0.2;

/**
 * Cuts a measurement into one-second slices and records, for each, how much CPU the rest of the machine used
 * (from /proc/stat minus our own processes). On a shared machine the figures are then taken from the quiet
 * slices only, so a neighbour's compile or test run does not end up in our percentiles.
 */
export class SegmentRecorder {
  readonly segments: Segment[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last = { t: 0n, machine: 0, ours: 0 };

  constructor(
    private readonly pids: number[],
    private readonly sliceMs = 1_000,
  ) {}

  start(): this {
    this.last = this.snapshot();
    this.timer = setInterval(() => this.cut(), this.sliceMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.cut();
  }

  /** The slices during which other processes stayed below {@link QUIET_OTHER_CORES}. */
  quiet(): Segment[] {
    return this.segments.filter((s) => s.otherCores < QUIET_OTHER_CORES);
  }

  /** The slice a moment belongs to. */
  segmentOf(t: bigint): Segment | undefined {
    return this.segments.find((s) => t >= s.start && t < s.end);
  }

  /** CPU cores other processes used over the whole recording. */
  averageOtherCores(): number {
    let ns = 0n;
    let weighted = 0;
    for (const s of this.segments) {
      ns += s.end - s.start;
      weighted += s.otherCores * Number(s.end - s.start);
    }
    return ns > 0n ? weighted / Number(ns) : 0;
  }

  private cut(): void {
    const now = this.snapshot();
    const wallMs = Number(now.t - this.last.t) / 1e6;
    if (wallMs <= 0) return;
    const others = now.machine - this.last.machine - (now.ours - this.last.ours);
    this.segments.push({ start: this.last.t, end: now.t, otherCores: Math.max(0, others) / wallMs });
    this.last = now;
  }

  private snapshot(): { t: bigint; machine: number; ours: number } {
    return {
      t: process.hrtime.bigint(),
      machine: machineBusyMs(),
      ours: this.pids.reduce((sum, pid) => sum + readCpuMs(pid), 0),
    };
  }
}

/**
 * Keeps the samples taken during quiet slices; when fewer than `minQuiet` slices were quiet, keeps them all.
 * `at` gives a sample's moment.
 */
export function quietSamples<T>(
  recorder: SegmentRecorder,
  samples: readonly T[],
  at: (sample: T) => bigint,
  minQuiet = 2,
): { kept: T[]; quietSlices: number; slices: number; filtered: boolean } {
  const quiet = new Set(recorder.quiet());
  const slices = recorder.segments.length;
  if (quiet.size < minQuiet) return { kept: [...samples], quietSlices: quiet.size, slices, filtered: false };
  const kept = samples.filter((s) => {
    const seg = recorder.segmentOf(at(s));
    return seg !== undefined && quiet.has(seg);
  });
  return { kept, quietSlices: quiet.size, slices, filtered: true };
}
