import { nextTaskId } from '../support/ids.js';
import type { DriverPeer } from '../support/peer.js';
import { waitUntil } from '../support/peer.js';
import { readCpuMs } from '../support/proc.js';
import { quietSamples, SegmentRecorder } from '../support/segments.js';
import { msSince, sleep } from '../support/stats.js';
import { dispatchBody } from '../support/wire.js';

/** Options of {@link closedLoop}. */
export interface ClosedLoopOptions {
  executor: string;
  /** Jobs dispatched but not yet reported, kept constant. */
  window: number;
  warmupMs: number;
  measureMs: number;
  /** The client under test, for its CPU time per job and to tell our CPU use from other processes'. */
  clientPid: number;
}

/** What {@link closedLoop} measured. */
export interface ClosedLoopResult {
  /** Completed jobs per second over the quiet seconds of the measurement (all of it when too few were quiet). */
  jobsPerSec: number;
  measuredJobs: number;
  totalJobs: number;
  failedAcks: number;
  failedReports: number;
  /** CPU time (user + system) the client process spent per job, in microseconds. */
  clientCpuUsPerJob: number;
  quietSeconds: number;
  seconds: number;
  /** CPU cores used by other processes, averaged over the measurement. */
  otherCores: number;
}

/**
 * Saturation throughput: keeps `window` jobs in flight (dispatched, not yet reported) and counts completed
 * round trips (ack + result report) per second after a warm-up, in one-second slices.
 */
export async function closedLoop(peer: DriverPeer, options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  let outstanding = 0;
  let sent = 0;
  let failedAcks = 0;
  let failedReports = 0;
  let sending = true;
  let measuring = false;
  const completions: bigint[] = [];
  const fill = (): void => {
    while (sending && outstanding < options.window) {
      outstanding++;
      sent++;
      peer.dispatch(dispatchBody({ executor: options.executor, taskId: nextTaskId() }), (error, reply) => {
        if (error || reply?.status !== 1 || reply.data !== 'true') {
          failedAcks++;
          outstanding--;
          fill();
        }
      });
    }
  };
  peer.onReport = (_taskId, success) => {
    if (!success) failedReports++;
    if (measuring) completions.push(process.hrtime.bigint());
    outstanding--;
    fill();
  };
  fill();
  await sleep(options.warmupMs);
  const cpu0 = readCpuMs(options.clientPid);
  const recorder = new SegmentRecorder([process.pid, options.clientPid]).start();
  measuring = true;
  await sleep(options.measureMs);
  recorder.stop();
  measuring = false;
  const clientCpuMs = readCpuMs(options.clientPid) - cpu0;
  sending = false;
  await waitUntil(() => outstanding <= 0, 15_000, 'the last reports of the closed loop');
  peer.onReport = () => undefined;

  const { kept, quietSlices, slices, filtered } = quietSamples(recorder, completions, (t) => t);
  const segments = filtered ? recorder.quiet() : recorder.segments;
  const seconds = segments.reduce((sum, s) => sum + Number(s.end - s.start) / 1e9, 0);
  return {
    jobsPerSec: kept.length / seconds,
    measuredJobs: kept.length,
    totalJobs: sent,
    failedAcks,
    failedReports,
    clientCpuUsPerJob: (clientCpuMs * 1000) / completions.length,
    quietSeconds: filtered ? quietSlices : 0,
    seconds: slices,
    otherCores: recorder.averageOtherCores(),
  };
}

/** Options of {@link pacedLoop}. */
export interface PacedLoopOptions {
  executor: string;
  ratePerSec: number;
  warmupJobs: number;
  measuredJobs: number;
  clientPid: number;
}

/** One measured dispatch: when it was sent (driver's monotonic clock) and a latency in ns. */
export interface TimedSample {
  sentNs: bigint;
  ns: number;
}

/** What {@link pacedLoop} measured (the handler side is collected by the caller). */
export interface PacedLoopResult {
  acks: TimedSample[];
  achievedRate: number;
  failedAcks: number;
  /** The one-second slices of the measured part, with how busy other processes were. */
  recorder: SegmentRecorder;
}

/**
 * Open-loop load at a fixed rate: a 1 ms timer sends whatever is due, so dispatches leave in ones and twos as
 * from a real server. Each dispatch carries the driver's monotonic clock (`process.hrtime.bigint()`, i.e.
 * CLOCK_MONOTONIC, the same clock in every process of the machine) in `jobParams`; warm-up ones are prefixed
 * with "w".
 */
export async function pacedLoop(peer: DriverPeer, options: PacedLoopOptions): Promise<PacedLoopResult> {
  const total = options.warmupJobs + options.measuredJobs;
  const acks: TimedSample[] = [];
  let sent = 0;
  let reports = 0;
  let failedAcks = 0;
  peer.onReport = () => {
    reports++;
  };
  const recorder = new SegmentRecorder([process.pid, options.clientPid]);
  const start = process.hrtime.bigint();
  let measuredFrom = start;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((msSince(start) * options.ratePerSec) / 1000) + 1);
      while (sent < due) {
        const warmup = sent < options.warmupJobs;
        if (sent === options.warmupJobs) {
          measuredFrom = process.hrtime.bigint();
          recorder.start();
        }
        sent++;
        const now = process.hrtime.bigint();
        const body = dispatchBody({
          executor: options.executor,
          taskId: nextTaskId(),
          jobParams: `${warmup ? 'w' : ''}${now}`,
        });
        peer.dispatch(body, (error, reply, ns) => {
          if (error || reply?.status !== 1 || reply.data !== 'true') failedAcks++;
          else if (!warmup) acks.push({ sentNs: now, ns: Number(ns) });
        });
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  recorder.stop();
  const achievedRate = (options.measuredJobs * 1000) / msSince(measuredFrom);
  await waitUntil(() => reports + failedAcks >= total, 15_000, 'the reports of the paced run');
  peer.onReport = () => undefined;
  return { acks, achievedRate, failedAcks, recorder };
}
