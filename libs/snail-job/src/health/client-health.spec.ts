import { describe, expect, it } from 'vitest';
import type { RegistrationState } from '../registration/registrar.js';
import { assessHealth } from './client-health.js';

const NOW = 1_000_000;

function registration(over: Partial<RegistrationState> = {}): RegistrationState {
  return {
    lastBeatOkAt: NOW - 1_000,
    lastError: undefined,
    tokenRejected: false,
    executorsRegistered: true,
    ...over,
  };
}

describe('assessHealth', () => {
  const check = (over: Partial<RegistrationState> = {}, serving = true) =>
    assessHealth({ serving, registration: registration(over), now: NOW, expiryMs: 30_000 });

  it('is up while serving with a recent heartbeat, even right after one failed beat', () => {
    expect(check()).toEqual({ up: true });
    expect(check({ lastError: 'SnailJob server unreachable at h:1: timeout' })).toEqual({ up: true });
    expect(check({ lastBeatOkAt: NOW - 30_000 })).toEqual({ up: true });
  });

  it('is down when the gRPC server does not serve', () => {
    expect(check({}, false)).toEqual({ up: false, reason: 'gRPC server not serving' });
  });

  it('is down at once when the token is rejected', () => {
    expect(check({ tokenRejected: true, lastError: 'bad token' })).toEqual({
      up: false,
      reason: 'token rejected: bad token',
    });
  });

  it('is down before the first heartbeat, with the error when there is one', () => {
    expect(check({ lastBeatOkAt: 0 })).toEqual({ up: false, reason: 'no heartbeat yet' });
    expect(check({ lastBeatOkAt: 0, lastError: 'refused' })).toEqual({
      up: false,
      reason: 'server unreachable: refused',
    });
  });

  it('is down once the last good heartbeat expired', () => {
    expect(check({ lastBeatOkAt: NOW - 30_001, lastError: 'UNAVAILABLE' })).toEqual({
      up: false,
      reason: 'server unreachable: UNAVAILABLE',
    });
    expect(check({ lastBeatOkAt: NOW - 45_000 })).toEqual({
      up: false,
      reason: 'no successful heartbeat for 45000 ms (heartbeatExpiryMs is 30000)',
    });
  });
});
