import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What the peer process reports after each command. */
export interface PeerCounts {
  entries: number;
  requests: number;
  /** Entries whose "task N" message does not match their taskId. */
  misrouted: number;
}

/** Drives `log-sink-peer.mjs`: a SnailJob server peer running in a child process. */
export class LogSinkPeer {
  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    private readonly lines: AsyncIterator<string>,
    /** The peer's gRPC port (point the client's `server.port` at it). */
    readonly port: number,
  ) {}

  static async start(): Promise<LogSinkPeer> {
    const script = fileURLToPath(new URL('./log-sink-peer.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    const { port } = JSON.parse(first.value as string) as { port: number };
    return new LogSinkPeer(child, lines, port);
  }

  /** Sends one command and waits for the peer's counts. */
  async command(command: Record<string, unknown>): Promise<PeerCounts> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const next = await this.lines.next();
    return JSON.parse(next.value as string) as PeerCounts;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.write(`${JSON.stringify({ exit: true })}\n`);
    await exited;
  }
}
