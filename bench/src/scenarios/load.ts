import { nextTaskId } from '../support/ids.js';
import { CpuMeter, readCpuMs } from '../support/proc.js';
import type { DriverPeer } from '../support/peer.js';
import { waitUntil } from '../support/peer.js';
import { msSince, sleep } from '../support/stats.js';
import { dispatchBody } from '../support/wire.js';

/** Options of {@link closedLoop}. */
export interface ClosedLoopOptions {
  executor: string;
  /** Jobs dispatched but not yet reported, kept constant. */
  window: number;
  warmupMs: number;
  measureMs: number;
  /** The client under test, for its CPU time per job. */
  clientPid: number;
}

/** What {@link closedLoop} measured. */
export interface ClosedLoopResult {
  jobsPerSec: number;
  measuredJobs: number;
  totalJobs: number;
  failedAcks: number;
  failedReports: number;
  /** CPU time (user + system) the client process spent per job, in microseconds. */
  clientCpuUsPerJob: number;
  /** CPU cores used by processes other than the driver and the client meanwhile (should be ~0). */
  otherCores: number;
}

/**
 * Saturation throughput: keeps `window` jobs in flight (dispatched, not yet reported) and counts completed
 * round trips (ack + result report) per second after a warm-up.
 */
export async function closedLoop(peer: DriverPeer, options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  let outstanding = 0;
  let completed = 0;
  let sent = 0;
  let failedAcks = 0;
  let failedReports = 0;
  let sending = true;
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
    outstanding--;
    completed++;
    fill();
  };
  fill();
  await sleep(options.warmupMs);
  const c0 = completed;
  const t0 = process.hrtime.bigint();
  const cpu0 = readCpuMs(options.clientPid);
  const meter = new CpuMeter([process.pid, options.clientPid]);
  await sleep(options.measureMs);
  const measuredJobs = completed - c0;
  const elapsedMs = msSince(t0);
  const clientCpuUsPerJob = ((readCpuMs(options.clientPid) - cpu0) * 1000) / measuredJobs;
  const { otherCores } = meter.read();
  sending = false;
  await waitUntil(() => outstanding <= 0, 15_000, 'the last reports of the closed loop');
  peer.onReport = () => undefined;
  return {
    jobsPerSec: (measuredJobs * 1000) / elapsedMs,
    measuredJobs,
    totalJobs: sent,
    failedAcks,
    failedReports,
    clientCpuUsPerJob,
    otherCores,
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

/** What {@link pacedLoop} measured (ack latencies in ns; the handler side is collected by the caller). */
export interface PacedLoopResult {
  ackNs: number[];
  achievedRate: number;
  failedAcks: number;
  /** CPU cores used by processes other than the driver and the client meanwhile (should be ~0). */
  otherCores: number;
}

/**
 * Open-loop load at a fixed rate: a 1 ms timer sends whatever is due, so dispatches leave in ones and twos as
 * from a real server. Each dispatch carries the driver's monotonic clock (`process.hrtime.bigint()`, i.e.
 * CLOCK_MONOTONIC, the same clock in every process of the machine) in `jobParams`; warm-up ones are prefixed
 * with "w".
 */
export async function pacedLoop(peer: DriverPeer, options: PacedLoopOptions): Promise<PacedLoopResult> {
  const total = options.warmupJobs + options.measuredJobs;
  const ackNs: number[] = [];
  let sent = 0;
  let reports = 0;
  let failedAcks = 0;
  peer.onReport = () => {
    reports++;
  };
  const start = process.hrtime.bigint();
  let measuredFrom = start;
  const meter = new CpuMeter([process.pid, options.clientPid]);
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((msSince(start) * options.ratePerSec) / 1000) + 1);
      while (sent < due) {
        const warmup = sent < options.warmupJobs;
        if (sent === options.warmupJobs) measuredFrom = process.hrtime.bigint();
        sent++;
        const now = process.hrtime.bigint();
        const body = dispatchBody({
          executor: options.executor,
          taskId: nextTaskId(),
          jobParams: `${warmup ? 'w' : ''}${now}`,
        });
        peer.dispatch(body, (error, reply, ns) => {
          if (error || reply?.status !== 1 || reply.data !== 'true') failedAcks++;
          else if (!warmup) ackNs.push(Number(ns));
        });
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const achievedRate = (options.measuredJobs * 1000) / msSince(measuredFrom);
  const { otherCores } = meter.read();
  await waitUntil(() => reports + failedAcks >= total, 15_000, 'the reports of the paced run');
  peer.onReport = () => undefined;
  return { ackNs, achievedRate, failedAcks, otherCores };
}
