import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './sleep.js';

describe('example sleep()', () => {
  it('leaves no abort listener behind on the task signal, however many steps sleep', async () => {
    const controller = new AbortController();
    for (let step = 0; step < 20; step++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('resolves early when the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = sleep(60_000, controller.signal);
    controller.abort('stop');
    await sleeping;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
