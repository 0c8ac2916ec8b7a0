import { getHeapSpaceStatistics } from 'node:v8';

/** Child side of the bench's IPC protocol: `{ id, cmd, arg }` in, `{ id, ok, value | error }` out. */

/** A command handler inside a child process. */
export type IpcHandler = (arg: unknown) => unknown;

/** A request sent by the orchestrator. */
export interface IpcRequest {
  id: number;
  cmd: string;
  arg?: unknown;
}

/** The answer to an {@link IpcRequest}. */
export interface IpcReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Answers the orchestrator's commands in a forked child. Does nothing when there is no IPC channel. */
export function serveIpc(handlers: Record<string, IpcHandler>): void {
  const send = process.send?.bind(process);
  if (!send) return;
  // The orchestrator is gone (even killed): nothing may outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: IpcRequest) => {
    if (!message || typeof message.id !== 'number') return;
    const handler = handlers[message.cmd];
    if (!handler) {
      send({ id: message.id, ok: false, error: `unknown command ${message.cmd}` } satisfies IpcReply);
      return;
    }
    Promise.resolve()
      .then(() => handler(message.arg))
      .then(
        (value) => send({ id: message.id, ok: true, value } satisfies IpcReply),
        (error: unknown) =>
          send({
            id: message.id,
            ok: false,
            error: (error as Error)?.message ?? String(error),
          } satisfies IpcReply),
      );
  });
}

/** Tells the orchestrator this child is up (with whatever it needs to know, e.g. a port). */
export function announceReady(info: Record<string, unknown> = {}): void {
  process.send?.({ ready: true, ...info });
}

/** Common probes every bench child answers: a forced GC, memory usage and the monotonic clock. */
export const commonHandlers: Record<string, IpcHandler> = {
  gc: async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return false;
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
    return true;
  },
  memory: () => process.memoryUsage(),
  /** V8's heap spaces (size = committed, used), to tell live objects from reserved room. */
  heapSpaces: () =>
    getHeapSpaceStatistics().map((s) => ({
      space: s.space_name,
      size: s.space_size,
      used: s.space_used_size,
    })),
  clock: () => process.hrtime.bigint().toString(),
  /** Exits normally (so `--cpu-prof` writes its profile). */
  exit: () => {
    setImmediate(() => process.exit(0));
    return true;
  },
};
