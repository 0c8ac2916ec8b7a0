import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.js';

/** How often every panel re-reads the server. */
export const POLL_MS = 1000;

const readers = new Set<() => void>();

/** Makes every panel re-read now (after an action, so its effect shows at once). */
export function refreshAll(): void {
  for (const read of readers) read();
}

/**
 * Latest answer of `GET path`, re-read every {@link POLL_MS}, at once when `path` changes and on
 * {@link refreshAll}; a null path reads nothing.
 */
export function usePoll<T>(path: string | null): { data: T | undefined; error: string | undefined } {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: string }>({ path });
  const current = useRef(path);
  current.current = path;
  useEffect(() => {
    if (path === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seq = 0;
    const read = async () => {
      clearTimeout(timer);
      const mine = ++seq;
      try {
        const data = await api.get<T>(path);
        if (!stopped && mine === seq) setState({ path, data });
      } catch (e) {
        if (!stopped && mine === seq) setState((s) => ({ ...s, path, error: (e as Error).message }));
      }
      if (!stopped && mine === seq) timer = setTimeout(read, POLL_MS);
    };
    readers.add(read);
    void read();
    return () => {
      stopped = true;
      readers.delete(read);
      clearTimeout(timer);
    };
  }, [path]);
  // Never show the previous path's answer under a new path.
  return state.path === current.current
    ? { data: state.data, error: state.error }
    : { data: undefined, error: undefined };
}
