import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignalDrain } from './signal-drain.js';

// process.emit delivers a signal event without a real signal; process.kill is replaced so nothing is raised.
describe('SignalDrain', () => {
  const other = () => undefined;

  afterEach(() => {
    process.removeListener('SIGUSR2', other);
    vi.restoreAllMocks();
  });

  function setup() {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    let finish: () => void = () => undefined;
    const drain = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const warnings: string[] = [];
    const signals = new SignalDrain(drain, (m) => warnings.push(m), ['SIGUSR2']);
    return { kill, drain, warnings, signals, finish: () => finish() };
  }

  it('drains when it is the only listener, then raises the signal again without itself', async () => {
    const { kill, drain, warnings, signals, finish } = setup();
    signals.install();
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(drain).toHaveBeenCalledTimes(1);
    expect(warnings[0]).toContain('SIGUSR2 received and nothing else handles it');
    expect(kill).not.toHaveBeenCalled(); // still draining
    finish();
    await vi.waitFor(() => expect(kill).toHaveBeenCalledWith(process.pid, 'SIGUSR2'));
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('does nothing when another listener (e.g. Nest shutdown hooks) owns the signal', () => {
    const { kill, drain, signals } = setup();
    process.on('SIGUSR2', other);
    signals.install();
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(drain).not.toHaveBeenCalled();
    expect(kill).not.toHaveBeenCalled();
    signals.uninstall();
    expect(process.listeners('SIGUSR2')).toEqual([other]);
  });

  it('a second signal during the drain raises it at once', () => {
    const { kill, drain, signals } = setup();
    signals.install();
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(drain).toHaveBeenCalledTimes(1);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGUSR2');
  });

  it('install is idempotent and uninstall removes its listeners', () => {
    const { signals } = setup();
    signals.install();
    signals.install();
    expect(process.listenerCount('SIGUSR2')).toBe(1);
    signals.uninstall();
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
