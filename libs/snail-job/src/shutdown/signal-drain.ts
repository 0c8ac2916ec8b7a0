import { SIGNAL_WITHOUT_SHUTDOWN_HOOKS } from '../snail-job.messages.js';

/** The signals an orchestrator (Kubernetes, systemd, Docker) or a terminal sends to stop a service. */
export const DRAIN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Drains the client on SIGTERM / SIGINT when nothing else in the process listens for the signal — that is, when
 * the app did not call `app.enableShutdownHooks()`. Node's default action would kill the process mid-task: the
 * batch would wait for the server's timeout and queued reports and log lines would be lost. Instead, `drain`
 * runs (the same sequence as `app.close()` runs for this module), then the signal is raised again with this
 * listener removed, so the process ends the way it would have (killed by the signal, exit status 143 / 130).
 *
 * When another listener is present at signal time (Nest's shutdown hooks, or the app's own handler), it owns
 * the shutdown and this one does nothing. A second signal during the drain stops waiting at once.
 */
export class SignalDrain {
  private readonly listeners = new Map<NodeJS.Signals, () => void>();
  private draining = false;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly warn: (message: string) => void,
    private readonly signals: readonly NodeJS.Signals[] = DRAIN_SIGNALS,
  ) {}

  /** Starts listening (idempotent). */
  install(): void {
    if (this.listeners.size > 0) return;
    for (const signal of this.signals) {
      const listener = () => this.onSignal(signal);
      this.listeners.set(signal, listener);
      process.on(signal, listener);
    }
  }

  /** Stops listening; called when the client stops, however it stops. */
  uninstall(): void {
    for (const [signal, listener] of this.listeners) process.removeListener(signal, listener);
    this.listeners.clear();
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.draining) return this.raise(signal);
    if (process.listenerCount(signal) > 1) return; // someone else shuts the app down
    this.draining = true;
    this.warn(SIGNAL_WITHOUT_SHUTDOWN_HOOKS(signal));
    this.drain().then(
      () => this.raise(signal),
      (error: unknown) => {
        this.warn(
          `SnailJob drain on ${signal} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.raise(signal);
      },
    );
  }

  /** Raises `signal` again without this listener: the default action (or the app's listeners) take over. */
  private raise(signal: NodeJS.Signals): void {
    this.uninstall();
    process.kill(process.pid, signal);
  }
}
