import { useState } from 'preact/hooks';
import { refreshAll } from './use-poll.js';

/** The last failed action's message, shown in the page's banner until dismissed. */
let showError: (message: string | undefined) => void = () => undefined;

export function useErrorBanner(): [string | undefined, (m: string | undefined) => void] {
  const [error, setError] = useState<string | undefined>();
  showError = setError;
  return [error, setError];
}

/** Runs an API call from a button: errors go to the banner, every panel refreshes afterwards. */
export async function act<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    const result = await call();
    showError(undefined);
    return result;
  } catch (e) {
    showError((e as Error).message);
    return undefined;
  } finally {
    refreshAll();
  }
}
