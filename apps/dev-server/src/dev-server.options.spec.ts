import { describe, expect, it } from 'vitest';
import { DEV_SERVER_SETTINGS, resolveOptions } from './dev-server.options.js';

describe('dev server resolveOptions', () => {
  it('applies the default of every row of the settings table', () => {
    const o = resolveOptions();
    for (const [name, row] of Object.entries(DEV_SERVER_SETTINGS)) {
      expect(o[name as keyof typeof o], name).toBe(row.default);
    }
    expect(o).toMatchObject({
      grpcPort: 17888,
      httpPort: 8080,
      sweepIntervalMs: 5000,
      persistIntervalMs: 200,
    });
    expect(o.groups).toEqual([]);
    expect(o.idBase).toBe(1n);
    expect(o.dataDir).toBeUndefined();
    expect(o.serverHostId).toMatch(/^19\d{17}$/);
  });

  it('takes given options over the defaults', () => {
    const o = resolveOptions({ grpcPort: 0, sweepIntervalMs: 50, logger: true, idBase: 2n ** 60n });
    expect(o).toMatchObject({ grpcPort: 0, sweepIntervalMs: 50, logger: true, idBase: 2n ** 60n });
    expect(resolveOptions({ groups: [{ groupName: 'g', token: 't' }] }).groups).toEqual([
      { namespaceId: '764d604ec6fc45f68cd92514c40e9e1a', groupName: 'g', token: 't' },
    ]);
  });

  it('names the bad option and its value', () => {
    expect(() => resolveOptions({ httpPort: 70_000 })).toThrow(
      'Option "httpPort" must be a port number between 0 and 65535; got 70000.',
    );
    expect(() => resolveOptions({ grpcPort: 1.5 })).toThrow('Option "grpcPort" must be a port number');
    expect(() => resolveOptions({ stopWaitMs: 0 })).toThrow(
      'Option "stopWaitMs" must be a positive number of milliseconds; got 0.',
    );
    expect(() => resolveOptions({ scheduleTickMs: Number.NaN })).toThrow('Option "scheduleTickMs"');
    expect(() => resolveOptions({ idBase: 0 })).toThrow('Option "idBase" must be at least 1; got 0.');
  });
});
