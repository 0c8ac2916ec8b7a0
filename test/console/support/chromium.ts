import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium this test started (by PID) and drives over CDP. */
export interface HeadlessChromium {
  browser: Browser;
  pid: number;
  close(): Promise<void>;
}

/**
 * Starts `/usr/bin/chromium` headless with a fresh profile and no network side traffic, then connects
 * playwright-core to it over the DevTools protocol.
 */
export async function startChromium(): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'dev-console-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      'about:blank',
    ],
    // Its own process group, so that stopping it also stops its zygote and renderer processes.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const cleanup = async () => {
    await stopProcess(child);
    // A helper process may still be flushing into the profile for a moment after the group's signal.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  try {
    const ws = await devToolsUrl(child);
    const browser = await chromium.connectOverCDP(ws);
    return {
      browser,
      pid: child.pid!,
      close: async () => {
        await browser.close().catch(() => undefined);
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Reads `DevTools listening on ws://…` from Chromium's stderr. */
function devToolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`Chromium gave no DevTools URL in 20 s:\n${seen}`)),
      20_000,
    );
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      seen += chunk;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}) before listening:\n${seen}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** SIGTERM to its process group (by PID), SIGKILL after 3 s; then SIGKILL to whatever of the group is left. */
async function stopProcess(child: ChildProcess): Promise<void> {
  const group = -child.pid!;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(group, signal);
    } catch {
      // the group is gone already
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    signalGroup('SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && signalGroup('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
  signalGroup('SIGKILL');
}
