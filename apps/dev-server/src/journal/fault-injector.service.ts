import { Injectable } from '@nestjs/common';

/** A fault armed on one client → server URI. */
export interface FaultSpec {
  /** URI path, e.g. `/report/dispatch/result`. */
  uri: string;
  /** The next n requests are answered `status 0, "injected fault"` without any effect. */
  status0Count?: number;
  /** Every request on the URI is answered this much later (until the faults are cleared). */
  delayMs?: number;
}

/** What to do with one incoming request. */
export interface FaultDecision {
  delayMs: number;
  failWithStatus0: boolean;
}

/** Fault injection for tests: refuse or delay the next requests on a URI. */
@Injectable()
export class FaultInjector {
  private readonly faults = new Map<string, { status0Left: number; delayMs: number }>();

  /** Arms (or re-arms) a fault. */
  inject(spec: FaultSpec): void {
    this.faults.set(spec.uri, { status0Left: spec.status0Count ?? 0, delayMs: spec.delayMs ?? 0 });
  }

  /** Disarms every fault. */
  clear(): void {
    this.faults.clear();
  }

  /** Active faults. */
  list(): FaultSpec[] {
    return [...this.faults].map(([uri, f]) => ({ uri, status0Count: f.status0Left, delayMs: f.delayMs }));
  }

  /** Consumes the fault for one request on `path`. */
  take(path: string): FaultDecision {
    const f = this.faults.get(path);
    if (!f) return { delayMs: 0, failWithStatus0: false };
    const failWithStatus0 = f.status0Left > 0;
    if (failWithStatus0) f.status0Left--;
    return { delayMs: f.delayMs, failWithStatus0 };
  }
}
